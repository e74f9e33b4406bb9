//! Iterating over every page of a query.

use super::*;

/// Pages of query results, fetched one at a time.
#[derive(Debug)]
pub struct QueryPages {
    client: Client,
    req: QueryRequest,
    next: Option<u32>,
    first: u32,
}

impl QueryPages {
    /// The next page, or `None` after the last one (a page shorter than the page size, or an
    /// empty page after a full one, which is never yielded) or after an error.
    pub async fn next_page(&mut self) -> Option<Result<QueryPage>> {
        let page = self.next?;
        let req = QueryRequest {
            page: Some(page),
            ..self.req.clone()
        };
        let result = self.client.query(req).await;
        self.next = match &result {
            Ok(p) if !p.data.is_empty() && p.data.len() as u32 >= p.page_size => {
                page.checked_add(1)
            }
            _ => None,
        };
        match &result {
            // The previous page was full and this one is empty: the count was a multiple of
            // the page size, so the previous page was the last.
            Ok(p) if p.data.is_empty() && page > self.first => None,
            _ => Some(result),
        }
    }
}

impl Client {
    /// Iterates over every page of a query, starting at `req.page` (or 1). The last page
    /// yielded is never empty (unless the very first one is).
    pub fn query_pages(&self, req: QueryRequest) -> QueryPages {
        let first = req.page.unwrap_or(1).max(1);
        QueryPages {
            client: self.clone(),
            req,
            next: Some(first),
            first,
        }
    }
}

/// Pages fetched one at a time, whichever operation made them: a query's (`query_pages`) or a
/// period's (`transactions`). What a binding's page iterator holds, so it knows neither by
/// name ([`crate::surface::apply::pages`]).
#[derive(Debug)]
pub enum Pages {
    /// Every page of one query.
    Query(QueryPages),
    /// Every transaction of a period, month window by month window.
    Period(super::Transactions),
}

impl Pages {
    /// The next page, `None` after the last, or the error that ended the walk.
    pub async fn next_page(&mut self) -> Option<Result<QueryPage>> {
        match self {
            Pages::Query(p) => p.next_page().await,
            Pages::Period(p) => p.next_page().await,
        }
    }
}
