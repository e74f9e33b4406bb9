//! The TCP side: a listener that caps the number of open connections (answering HTTP 503
//! beyond it), whose connections time out when idle or when a request head does not arrive in
//! time, and can be dropped on purpose (the `drop` fault); TCP_NODELAY on every connection.
//!
//! The timeouts live in the stream because `axum::serve` offers no hook for hyper's own: the
//! stream knows when bytes move, and the request handler tells it (through [`ConnHandle`])
//! when a request is being processed, so a deliberately slow answer is never cut short.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// How the sandbox's HTTP server protects itself: a connection cap and two timeouts.
/// `ServerOptions::default()`: 1024 connections, 30 s for a request head, 60 s idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOptions {
    /// Open connections at most; one more is answered `HTTP 503` and closed.
    pub max_connections: usize,
    /// From the first byte of a request to the end of its head (and, separately, for the
    /// whole body): a slower client is disconnected (a body gets HTTP 408).
    pub header_read_timeout: Duration,
    /// A keep-alive connection with no request for this long is closed; also the longest a
    /// write may stall on a client that stopped reading.
    pub idle_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// The longest accepted timeout: a bigger value is treated as this (one day).
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Descriptors kept free beside the connection cap: the over-cap answers (`MAX_REJECTING`),
/// notification deliveries, the runtime and the host process (a binding embeds the sandbox).
const RESERVED_DESCRIPTORS: u64 = 64 + MAX_REJECTING as u64;

/// Raises this process's soft open-file limit to its hard limit, and returns how many more
/// descriptors it may then open (the limit less those open now), or `None` when unknown.
#[cfg(unix)]
fn descriptors_available() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current != limit.maximum {
        let raised = Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        if let Err(e) = setrlimit(Resource::Nofile, raised) {
            tracing::debug!(error = %e, "could not raise the open-file limit");
        }
    }
    let soft = getrlimit(Resource::Nofile).current?;
    let open = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count() as u64);
    Some(soft.saturating_sub(open))
}

#[cfg(not(unix))]
fn descriptors_available() -> Option<u64> {
    None
}

impl ServerOptions {
    /// The options as served: sane values, and a connection cap below the descriptors this
    /// process has (after raising its soft limit to the hard one), so that over the cap the
    /// sandbox still accepts, answers 503 and keeps answering its health check instead of
    /// leaving connections in the backlog.
    pub(crate) fn effective(self) -> Self {
        let mut o = self.sane();
        if let Some(free) = descriptors_available() {
            let budget = free.saturating_sub(RESERVED_DESCRIPTORS).max(1);
            let budget = usize::try_from(budget).unwrap_or(usize::MAX);
            if budget < o.max_connections {
                tracing::info!(
                    asked = o.max_connections,
                    cap = budget,
                    "connection cap lowered to fit the open-file limit"
                );
                o.max_connections = budget;
            }
        }
        o
    }

    fn sane(mut self) -> Self {
        self.max_connections = self.max_connections.max(1);
        self.header_read_timeout = self
            .header_read_timeout
            .clamp(Duration::from_millis(1), MAX_TIMEOUT);
        self.idle_timeout = self
            .idle_timeout
            .clamp(Duration::from_millis(1), MAX_TIMEOUT);
        self
    }
}

/// Per-connection state shared between the stream and the request handler.
#[derive(Debug, Default)]
pub struct ConnState {
    killed: AtomicBool,
    in_flight: AtomicUsize,
    /// Set when a request starts or ends: the stream restarts its idle clock.
    touched: AtomicBool,
}

/// A handle on one connection: kill it, or mark a request in progress.
#[derive(Debug, Clone, Default)]
pub struct ConnHandle(pub Arc<ConnState>);

impl ConnHandle {
    /// Drops the connection: nothing more is written, the socket is closed.
    pub fn kill(&self) {
        self.0.killed.store(true, Ordering::Release);
    }

    /// Marks a request in progress until the guard is dropped: no timeout applies meanwhile.
    pub fn busy(&self) -> BusyGuard {
        self.0.in_flight.fetch_add(1, Ordering::AcqRel);
        self.0.touched.store(true, Ordering::Release);
        BusyGuard(Arc::clone(&self.0))
    }
}

/// See [`ConnHandle::busy`].
#[derive(Debug)]
pub struct BusyGuard(Arc<ConnState>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.touched.store(true, Ordering::Release);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Decrements the open-connection count when the connection goes away.
#[derive(Debug)]
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP stream with the timeouts above, failing every read and write once killed.
#[derive(Debug)]
pub struct KillableStream {
    inner: TcpStream,
    state: Arc<ConnState>,
    options: ServerOptions,
    /// When the connection last finished writing (or was accepted): the idle clock.
    last_write: Instant,
    /// When the first byte of the current request arrived, while no request is in progress.
    head_started: Option<Instant>,
    read_timer: Pin<Box<Sleep>>,
    write_timer: Option<Pin<Box<Sleep>>>,
    _slot: Slot,
}

impl KillableStream {
    fn dead(&self) -> bool {
        self.state.killed.load(Ordering::Acquire)
    }

    fn busy(&self) -> bool {
        self.state.in_flight.load(Ordering::Acquire) > 0
    }

    /// A request started or ended since the last look: its head is done, and the idle clock
    /// starts again now.
    fn sync(&mut self) {
        if self.state.touched.swap(false, Ordering::AcqRel) {
            self.last_write = Instant::now();
            self.head_started = None;
        }
    }

    /// The read deadline that applies now, if any.
    fn read_deadline(&self) -> Option<Instant> {
        if self.busy() {
            return None;
        }
        Some(match self.head_started {
            Some(t) => t + self.options.header_read_timeout,
            None => self.last_write + self.options.idle_timeout,
        })
    }
}

fn aborted() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "dropped by sandbox fault")
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, what.to_owned())
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        let before = buf.filled().len();
        let this = &mut *self;
        this.sync();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before && this.head_started.is_none() && !this.busy() {
                    this.head_started = Some(Instant::now());
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let Some(deadline) = this.read_deadline() else {
                    return Poll::Pending;
                };
                if this.read_timer.deadline() != deadline {
                    this.read_timer.as_mut().reset(deadline);
                }
                match this.read_timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        Poll::Ready(Err(timed_out(if this.head_started.is_some() {
                            "request head not received in time"
                        } else {
                            "idle keep-alive connection closed"
                        })))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl KillableStream {
    fn after_write<T>(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match r {
            Poll::Ready(v) => {
                self.write_timer = None;
                self.last_write = Instant::now();
                self.head_started = None;
                Poll::Ready(v)
            }
            Poll::Pending => {
                let limit = self.options.idle_timeout;
                let timer = self
                    .write_timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(timed_out("the client stopped reading"))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.after_write(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.after_write(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.dead() {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The sandbox's listener.
#[derive(Debug)]
pub struct SandboxListener {
    listener: TcpListener,
    options: ServerOptions,
    open: Arc<AtomicUsize>,
    rejecting: Arc<AtomicUsize>,
}

impl SandboxListener {
    /// Wraps a bound listener.
    pub fn new(listener: TcpListener, options: ServerOptions) -> Self {
        Self {
            listener,
            options: options.sane(),
            open: Arc::new(AtomicUsize::new(0)),
            rejecting: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// At most this many over-cap connections are answered 503 at once; beyond, they are closed.
const MAX_REJECTING: usize = 64;

fn overloaded() -> Vec<u8> {
    let body = r#"{"respcd": "503", "resperr": "Service Unavailable: the sandbox has too many open connections; retry later", "respmsg": "overloaded"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers an over-cap connection: reads what the client sent (briefly), answers 503, closes.
async fn reject(mut stream: TcpStream, rejecting: Arc<AtomicUsize>) {
    let _guard = Slot(rejecting);
    let mut buf = vec![0u8; 16 * 1024];
    let mut seen = Vec::new();
    let read_head = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(4).any(|w| w == b"\r\n\r\n") || seen.len() > 64 * 1024 {
                        return;
                    }
                }
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(500), read_head).await;
    if stream.write_all(&overloaded()).await.is_ok() {
        let _ = stream.shutdown().await;
        // Drain what is left so closing does not reset the connection under the answer.
        let drain = async { while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {} };
        let _ = tokio::time::timeout(Duration::from_millis(500), drain).await;
    }
}

impl Listener for SandboxListener {
    type Io = KillableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let open = self.open.fetch_add(1, Ordering::AcqRel);
                    let slot = Slot(Arc::clone(&self.open));
                    if open >= self.options.max_connections {
                        drop(slot);
                        if self.rejecting.fetch_add(1, Ordering::AcqRel) < MAX_REJECTING {
                            tokio::spawn(reject(stream, Arc::clone(&self.rejecting)));
                        } else {
                            self.rejecting.fetch_sub(1, Ordering::AcqRel);
                            drop(stream);
                        }
                        tracing::debug!(
                            max = self.options.max_connections,
                            "connection refused: too many open connections"
                        );
                        continue;
                    }
                    let now = Instant::now();
                    let io = KillableStream {
                        inner: stream,
                        state: Arc::new(ConnState::default()),
                        options: self.options,
                        last_write: now,
                        head_started: None,
                        read_timer: Box::pin(tokio::time::sleep_until(
                            now + self.options.idle_timeout,
                        )),
                        write_timer: None,
                        _slot: slot,
                    };
                    return (io, addr);
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a little and try again.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        ConnHandle(Arc::clone(&stream.io().state))
    }
}
