//! Asynchronous notifications: POST the body to the merchant's URL, signed with
//! `X-QF-SIGN` = uppercase MD5(body + key), retried on QFPay's schedule until the receiver
//! answers HTTP 200 with `SUCCESS`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::state::lock;

/// Seconds between consecutive attempts after the first: +2 min, +10 min, +10 min, +60 min,
/// +2 h, +6 h, +15 h (7 retries, the last about 24 h 22 min after the first attempt).
pub const RETRY_SCHEDULE_SECS: [u64; 7] = [120, 600, 600, 3600, 7200, 21600, 54000];

/// The most deliveries remembered (older ones are forgotten).
pub const MAX_DELIVERIES: usize = 10_000;

#[derive(Debug, Clone)]
struct Attempt {
    number: usize,
    elapsed_ms: u128,
    status: Option<u16>,
    response: String,
    error: Option<String>,
    ok: bool,
}

#[derive(Debug, Clone)]
struct Delivery {
    id: u64,
    notify_type: String,
    syssn: String,
    out_trade_no: String,
    url: String,
    body: String,
    signature: String,
    attempts: Vec<Attempt>,
    delivered: bool,
    finished: bool,
}

impl Delivery {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "notify_type": self.notify_type,
            "syssn": self.syssn,
            "out_trade_no": self.out_trade_no,
            "url": self.url,
            "body": self.body,
            "signature": self.signature,
            "delivered": self.delivered,
            "finished": self.finished,
            "attempts": self.attempts.iter().map(|a| json!({
                "number": a.number,
                "elapsed_ms": a.elapsed_ms,
                "status": a.status,
                "response": a.response,
                "error": a.error,
                "ok": a.ok,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Sends notifications from background tasks and remembers every delivery and attempt.
#[derive(Debug)]
pub struct Notifier {
    deliveries: Mutex<Vec<Delivery>>,
    next_id: AtomicU64,
    generation: AtomicU64,
    http: reqwest::Client,
    handle: tokio::runtime::Handle,
    shutdown: watch::Receiver<bool>,
    scale: f64,
}

/// What a notification is about (for the record).
#[derive(Debug, Clone)]
pub struct NotificationMeta {
    /// `payment` or `refund`.
    pub notify_type: String,
    /// The transaction's `syssn`.
    pub syssn: String,
    /// The transaction's `out_trade_no`.
    pub out_trade_no: String,
}

impl Notifier {
    /// A notifier that runs its tasks on `handle` and stops when `shutdown` turns true.
    pub fn new(
        handle: tokio::runtime::Handle,
        shutdown: watch::Receiver<bool>,
        scale: f64,
    ) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .user_agent("qfpay-sandbox-notifier")
            .build()
            .unwrap_or_default();
        let scale = if scale.is_finite() && scale >= 0.0 {
            scale
        } else {
            1.0
        };
        Self {
            deliveries: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
            generation: AtomicU64::new(0),
            http,
            handle,
            shutdown,
            scale,
        }
    }

    fn delay(&self, retry: usize) -> Duration {
        let secs = RETRY_SCHEDULE_SECS.get(retry).copied().unwrap_or(0) as f64 * self.scale;
        Duration::try_from_secs_f64(secs).unwrap_or(Duration::from_secs(u64::from(u32::MAX)))
    }

    /// Every delivery with its attempts, oldest first.
    pub fn list(&self) -> Vec<Value> {
        lock(&self.deliveries)
            .iter()
            .map(Delivery::to_json)
            .collect()
    }

    /// Forgets every delivery and stops retrying the ones in progress.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        lock(&self.deliveries).clear();
    }

    /// Starts delivering `body` to `url`.
    pub fn send(
        self: &std::sync::Arc<Self>,
        url: String,
        body: String,
        key: &str,
        meta: NotificationMeta,
    ) {
        let signature = qfpay::sign::notification_signature(body.as_bytes(), key);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let generation = self.generation.load(Ordering::SeqCst);
        {
            let mut d = lock(&self.deliveries);
            if d.len() >= MAX_DELIVERIES {
                d.remove(0);
            }
            d.push(Delivery {
                id,
                notify_type: meta.notify_type,
                syssn: meta.syssn,
                out_trade_no: meta.out_trade_no,
                url: url.clone(),
                body: body.clone(),
                signature: signature.clone(),
                attempts: Vec::new(),
                delivered: false,
                finished: false,
            });
        }
        let this = std::sync::Arc::clone(self);
        self.handle.spawn(async move {
            this.run(id, generation, url, body, signature).await;
        });
    }

    async fn run(&self, id: u64, generation: u64, url: String, body: String, signature: String) {
        let started = Instant::now();
        let mut shutdown = self.shutdown.clone();
        for number in 0..=RETRY_SCHEDULE_SECS.len() {
            if number > 0 {
                let wait = self.delay(number - 1);
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.wait_for(|s| *s) => return,
                }
            }
            if self.generation.load(Ordering::SeqCst) != generation || *shutdown.borrow() {
                return;
            }
            let result = self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .header("X-QF-SIGN", &signature)
                .body(body.clone())
                .send()
                .await;
            let attempt = match result {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let text = resp.text().await.unwrap_or_default();
                    let ok = status == 200 && text.trim() == qfpay::notify::ACK_BODY;
                    Attempt {
                        number: number + 1,
                        elapsed_ms: started.elapsed().as_millis(),
                        status: Some(status),
                        response: text.chars().take(256).collect(),
                        error: None,
                        ok,
                    }
                }
                Err(e) => Attempt {
                    number: number + 1,
                    elapsed_ms: started.elapsed().as_millis(),
                    status: None,
                    response: String::new(),
                    error: Some(e.to_string()),
                    ok: false,
                },
            };
            let ok = attempt.ok;
            let last = number == RETRY_SCHEDULE_SECS.len();
            {
                let mut d = lock(&self.deliveries);
                if let Some(entry) = d.iter_mut().find(|e| e.id == id) {
                    entry.attempts.push(attempt);
                    entry.delivered = ok;
                    entry.finished = ok || last;
                }
            }
            if ok {
                return;
            }
        }
    }
}
