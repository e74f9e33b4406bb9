//! How a connection to QFPay is opened: directly, or through the configured HTTP(S) proxy
//! (a `CONNECT` tunnel for an `https` base URL, absolute-form requests for an `http` one), with
//! TLS to QFPay on top for `https`.
//!
//! The core speaks to hyper's pooled client directly rather than through reqwest: reqwest's
//! layers (its own URL type parsed again on every request, the redirect layer that is still in
//! the path with redirects off, boxed bodies) were about a tenth of a payment's CPU time, and the
//! core needs none of what they add.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::Uri;
use hyper::header::HeaderValue;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use tower_service::Service;

/// An error while connecting, as hyper's client expects it.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What every connection is under the TLS layer: a byte stream hyper can ask about itself.
trait Io: Read + Write + Connection + Send + Unpin {}
impl<T: Read + Write + Connection + Send + Unpin> Io for T {}

/// One open connection: the TCP stream to QFPay, or a stream through the proxy.
pub(crate) struct Conn {
    inner: Box<dyn Io>,
    /// Requests on it go to a forwarding proxy, so they keep their absolute-form URI.
    forwarded: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.inner.connected().proxy(self.forwarded)
    }
}

impl Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.inner).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.inner).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.inner).poll_write_vectored(cx, bufs)
    }
}

/// The proxy a connection goes through.
#[derive(Clone)]
pub(crate) struct Proxy {
    /// `http://host:port` or `https://host:port`, without credentials.
    pub(crate) uri: Uri,
    /// `Basic …` from the proxy URL's `user:password@`, if any.
    pub(crate) auth: Option<HeaderValue>,
    /// Reaches the proxy itself (TLS for an `https` proxy, HTTP/1.1 only).
    pub(crate) to_proxy: HttpsConnector<HttpConnector>,
}

/// Opens the TCP (or tunnelled) stream under the TLS layer.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) tcp: HttpConnector,
    pub(crate) proxy: Option<Proxy>,
}

impl Service<Uri> for Route {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Every connector below is always ready (hyper's HttpConnector and the TLS wrapper).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let Some(proxy) = self.proxy.clone() else {
            return opened(self.tcp.call(dst), false);
        };
        if dst.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(proxy.uri, proxy.to_proxy);
            if let Some(auth) = proxy.auth {
                tunnel = tunnel.with_auth(auth);
            }
            opened(tunnel.call(dst), false)
        } else {
            let mut to_proxy = proxy.to_proxy;
            opened(to_proxy.call(proxy.uri), true)
        }
    }
}

/// The connection `connecting` opens, as a [`Conn`].
fn opened<F, S, E>(
    connecting: F,
    forwarded: bool,
) -> Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>
where
    F: Future<Output = Result<S, E>> + Send + 'static,
    S: Io + 'static,
    E: Into<BoxError>,
{
    Box::pin(async move {
        Ok(Conn {
            inner: Box::new(connecting.await.map_err(Into::into)?),
            forwarded,
        })
    })
}
