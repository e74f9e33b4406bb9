//! `qfpay`: the QFPay command line. `qfpay demo` runs the whole payment story on an embedded
//! sandbox; `qfpay sandbox` serves one; `sign`, `pay`, `query`, `refund`, `close`, `reverse` and
//! `verify-notification` work against any environment configured by `QFPAY_*` variables.

// A failure carries the error's code, respcd, out_trade_no and syssn for `--json`; it is
// returned once per process, so its size does not matter.
#![allow(clippy::result_large_err)]

mod bench;
mod commands;
mod demo;
mod export;
mod model;
mod output;
mod reconcile;
mod surface_args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

const CREDENTIALS_HELP: &str = "\
Credentials and environment (for pay, checkout-url, query, export, reconcile, wait, refund,
close, reverse):
  QFPAY_APP_CODE     X-QF-APPCODE (or --app-code)
  QFPAY_CLIENT_KEY   the key requests are signed with (read only from the environment; never printed)
  QFPAY_MCHID        the merchant id, when QFPay assigned one
  QFPAY_BASE_URL     a base URL, e.g. a local `qfpay sandbox` (or --base-url)
  QFPAY_ENV          production | live_test | card_sandbox (when no base URL is given)
  QFPAY_SIGN_TYPE    md5 (default) | sha256
  QFPAY_PROXY        a proxy URL, or none
Logging: QFPAY_LOG=LEVEL, or TARGET=LEVEL directives separated by commas (LEVEL: off, error,
warn, info, debug, trace; e.g. debug or qfpay::http=trace; an unusable value is ignored with a warning)
writes the SDK's events to stderr (no colours unless stderr is a terminal).
--json prints the SDK's model (integer amounts, state) and errors as
{\"code\", \"message\", \"respcd\", \"out_trade_no\", \"syssn\"}. Exit codes: 0 ok, 1 failed,
2 usage, validation or configuration.";

/// The QFPay command line.
#[derive(Debug, Parser)]
#[command(
    name = "qfpay",
    version,
    about = "QFPay Open API: demo, local sandbox, signing and API calls",
    after_help = CREDENTIALS_HELP
)]
struct Cli {
    /// Print JSON instead of human-readable text.
    #[arg(long, global = true)]
    json: bool,
    /// The API base URL, e.g. a local sandbox's (default: QFPAY_BASE_URL, else QFPAY_ENV).
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
    /// The app code (X-QF-APPCODE; default: QFPAY_APP_CODE).
    #[arg(long, global = true, value_name = "APP_CODE")]
    app_code: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Where an API command sends its requests: `--base-url` / `--app-code` over `QFPAY_*`.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--app-code`.
    pub app_code: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole story on an embedded sandbox: QR payment, scan, notification, query, refund.
    Demo {
        /// Where to write qfpay-demo-qr.png and qfpay-demo-qr.svg (default: a new temp dir).
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
    /// Serve a local QFPay sandbox (prints one JSON line: base_url, app_code, client_key,
    /// mchid), or control a running one: `qfpay sandbox pay <id>`, `qfpay sandbox orders`.
    Sandbox(SandboxCmd),
    /// Show the string to sign (key masked) and the signature for parameters.
    Sign(SignArgs),
    /// Create a payment (every field of any pay type: --sub-openid, --seller-id, --extra-params...).
    Pay(PayArgs),
    /// Build a signed hosted-checkout link (nothing is sent), or `--verify URL` to read one back.
    CheckoutUrl(CheckoutArgs),
    /// Query transactions.
    Query(QueryArgs),
    /// Every transaction of a period, as CSV or JSON lines (month windows, pages of 100,
    /// paced under QFPay's rate limit); a summary line on stderr.
    Export(export::ExportArgs),
    /// Compare the merchant's ledger (CSV) with every QFPay transaction of a period: missing
    /// orders, amount or currency mismatches, duplicate payments, pending too long, unknown
    /// refunds, net per day and currency.
    Reconcile(reconcile::ReconcileArgs),
    /// Wait until a payment is paid (or final), querying with backoff; prints the transaction.
    Wait(WaitArgs),
    /// Refund a paid transaction, fully or partly.
    Refund(RefundArgs),
    /// Close an unpaid order.
    Close(CancelArgs),
    /// Reverse an unfinished transaction.
    Reverse(CancelArgs),
    /// Add a note to a completed transaction (shown in QFPay's merchant portal and reports;
    /// not for merchants who use an mchid).
    Note(NoteArgs),
    /// Verify a notification's X-QF-SIGN over its raw body and print it.
    VerifyNotification(VerifyArgs),
    /// Measure payment creations per second on an embedded sandbox (keep-alive, loopback).
    BenchSandbox(bench::BenchArgs),
}

/// `qfpay sandbox [OPTIONS]` serves; `qfpay sandbox pay|orders` controls a running one.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SandboxCmd {
    /// Control a running sandbox instead of serving one.
    #[command(subcommand)]
    pub action: Option<SandboxAction>,
    /// Serving options.
    #[command(flatten)]
    pub serve: SandboxArgs,
}

/// Control calls to a running sandbox (at --base-url, default QFPAY_BASE_URL).
#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Simulate the customer's scan: pay the pending payment with this syssn or out_trade_no.
    Pay {
        /// The payment's syssn or out_trade_no.
        id: String,
    },
    /// List every payment and refund the sandbox holds (kind, out_trade_no, syssn, txamt, state).
    Orders,
    /// Seed history: N paid payments over a date range, some refunded, some paid twice.
    Seed(SeedArgs),
}

/// `qfpay sandbox seed` options (`POST /sandbox/seed`).
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Paid payments to create.
    pub orders: u64,
    /// First day, YYYY-MM-DD (sandbox calendar, UTC+8); default 29 days before --to.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, at most today; default today.
    #[arg(long)]
    pub to: Option<String>,
    /// Payments refunded: a count (7) or a fraction (0.1); half fully, half partly.
    #[arg(long, default_value = "0")]
    pub refunds: String,
    /// Merchant orders paid two or three times under one out_trade_no.
    #[arg(long, default_value_t = 0)]
    pub duplicates: u64,
    /// The merchant's app code (default: the first merchant).
    #[arg(long = "for-merchant", value_name = "APP_CODE")]
    pub merchant: Option<String>,
    /// Random seed, for the same history every time.
    #[arg(long = "random-seed", value_name = "U64")]
    pub seed: Option<u64>,
}

/// `qfpay sandbox` options.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 = a free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// A merchant as APP_CODE:CLIENT_KEY[:MCHID]; repeatable. Default: the sandbox's default merchant.
    #[arg(long = "merchant", value_name = "APP:KEY[:MCHID]")]
    pub merchants: Vec<String>,
    /// `off` or PER_SEC,PER_MIN (default: the documented 100,400).
    #[arg(long, default_value = "100,400")]
    pub rate_limit: String,
    /// Multiplies the notification retry schedule (0.001 turns 2 min into 120 ms).
    #[arg(long, default_value_t = 1.0)]
    pub notify_time_scale: f64,
    /// Notification URL for every configured merchant.
    #[arg(long)]
    pub notify_url: Option<String>,
    /// Scenario 1002: queries answered pending before the order is paid.
    #[arg(long, default_value_t = 2)]
    pub pending_queries: u32,
    /// Scenario 1005: milliseconds before the slow answer.
    #[arg(long, default_value_t = 3000)]
    pub slow_response_ms: u64,
    /// Open connections at most; more are answered HTTP 503.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    /// Refuse the legacy pay codes (docs/pay-types.md) with 1104, as an account without them would.
    #[arg(long)]
    pub strict_pay_types: bool,
    /// Open the dashboard (`<base_url>/sandbox/`) with $BROWSER or xdg-open, when present.
    #[arg(long)]
    pub open: bool,
    /// Refund rules: `off` (default), `qfpay` (every rule as a real account has it) or a JSON
    /// object as `POST /sandbox/config {"refund_rules": ...}` takes (see the sandbox README).
    #[arg(long, default_value = "off", value_name = "off|qfpay|JSON")]
    pub refund_rules: String,
    /// Seed history at start: N paid payments over FROM..TO (default the last 30 days), REFUNDS
    /// (a count, or a fraction like 0.1) refunded, DUPLICATES orders paid more than once.
    #[arg(long, value_name = "N[,FROM,TO[,REFUNDS[,DUPLICATES]]]")]
    pub seed: Option<String>,
}

/// `qfpay wait` options.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The payment's out_trade_no.
    pub out_trade_no: String,
    /// Give up after this many seconds (default 120, the SDK's).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

/// `qfpay sign` options.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Parameters as name=value (repeatable, or several after the options).
    #[arg(value_name = "NAME=VALUE", required = true)]
    pub params: Vec<String>,
    /// The client key (default: QFPAY_CLIENT_KEY). Never printed.
    #[arg(long, env = "QFPAY_CLIENT_KEY", hide_env_values = true)]
    pub key: String,
    /// md5 or sha256 (default: QFPAY_SIGN_TYPE or md5).
    #[arg(long, env = "QFPAY_SIGN_TYPE", default_value = "md5")]
    pub sign_type: String,
}

/// An amount and currency.
#[derive(Debug, Args)]
pub struct AmountArgs {
    /// Amount in minor units (cents): 300 = 3.00.
    #[arg(long)]
    pub amount: i64,
    /// ISO currency code.
    #[arg(long, default_value = "HKD")]
    pub currency: String,
}

/// `qfpay pay` options.
#[derive(Debug, Args)]
pub struct PayArgs {
    /// Amount and currency.
    #[command(flatten)]
    pub money: AmountArgs,
    /// Pay type code (800201 = WeChat QR).
    #[arg(long, default_value = "800201")]
    pub pay_type: String,
    /// Print the QR code in the terminal.
    #[arg(long)]
    pub qr: bool,
    /// Every other field of a payment, one flag each.
    #[command(flatten)]
    pub fields: surface_args::PaymentFields,
}

/// `qfpay checkout-url` options: build a signed hosted-checkout link, or read one back.
#[derive(Debug, Args)]
pub struct CheckoutArgs {
    /// Read this checkout link back and verify its signature with QFPAY_CLIENT_KEY instead.
    #[arg(long, value_name = "URL", conflicts_with_all = ["amount", "return_url", "failed_url", "notify_url"])]
    pub verify: Option<String>,
    /// Amount in minor units (cents): 300 = 3.00.
    #[arg(long, required_unless_present = "verify")]
    pub amount: Option<i64>,
    /// ISO currency code.
    #[arg(long, default_value = "HKD")]
    pub currency: String,
    /// Where the customer goes after paying.
    #[arg(long, required_unless_present = "verify", value_name = "URL")]
    pub return_url: Option<String>,
    /// Where the customer goes when the payment fails.
    #[arg(long, required_unless_present = "verify", value_name = "URL")]
    pub failed_url: Option<String>,
    /// Where QFPay posts the notification.
    #[arg(long, required_unless_present = "verify", value_name = "URL")]
    pub notify_url: Option<String>,
    /// Every optional field of a checkout link, one flag each.
    #[command(flatten)]
    pub fields: surface_args::CheckoutFields,
}

/// `qfpay query` options.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Transaction numbers (repeatable).
    #[arg(long)]
    pub syssn: Vec<String>,
    /// Merchant order numbers (repeatable).
    #[arg(long)]
    pub out_trade_no: Vec<String>,
    /// Page number.
    #[arg(long)]
    pub page: Option<u32>,
    /// Page size (1-100).
    #[arg(long)]
    pub page_size: Option<u32>,
}

/// `qfpay refund` options.
#[derive(Debug, Args)]
pub struct RefundArgs {
    /// The original payment's syssn.
    #[arg(long)]
    pub syssn: String,
    /// Amount and currency.
    #[command(flatten)]
    pub money: AmountArgs,
    /// The refund's own order number (generated when absent).
    #[arg(long)]
    pub out_trade_no: Option<String>,
}

/// Which order: exactly one of `--syssn` and `--out-trade-no`.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct OrderRef {
    /// The order's syssn.
    #[arg(long)]
    pub syssn: Option<String>,
    /// The order's out_trade_no.
    #[arg(long)]
    pub out_trade_no: Option<String>,
}

/// `qfpay close` / `qfpay reverse` options.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The order.
    #[command(flatten)]
    pub order: OrderRef,
    /// Amount and currency.
    #[command(flatten)]
    pub money: AmountArgs,
}

/// `qfpay note` options.
#[derive(Debug, Args)]
pub struct NoteArgs {
    /// QFPay's transaction number.
    #[arg(long)]
    pub syssn: String,
    /// The note (1 to 200 characters).
    #[arg(long)]
    pub note: String,
}

/// `qfpay verify-notification` options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// File holding the raw body (`-` = standard input).
    #[arg(long, default_value = "-")]
    pub body: PathBuf,
    /// The X-QF-SIGN header value.
    #[arg(long)]
    pub signature: String,
    /// The client key (default: QFPAY_CLIENT_KEY). Never printed.
    #[arg(long, env = "QFPAY_CLIENT_KEY", hide_env_values = true)]
    pub key: String,
}

/// A failure with its exit code: 2 for usage and validation, 1 otherwise.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// Message.
    pub message: String,
    /// The stable error code (`validation`, `declined`, ... or `usage` / `failed`).
    pub kind: String,
    /// QFPay's answer code, when there was one.
    pub respcd: Option<String>,
    /// The order the error is about, when known.
    pub out_trade_no: Option<String>,
    /// QFPay's transaction number, when known.
    pub syssn: Option<String>,
}

impl Failure {
    fn plain(code: u8, kind: &str, message: String) -> Self {
        Self {
            code,
            message,
            kind: kind.to_owned(),
            respcd: None,
            out_trade_no: None,
            syssn: None,
        }
    }

    /// A usage or validation problem (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::plain(2, "usage", message.into())
    }

    /// Anything else (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self::plain(1, "failed", message.into())
    }

    /// The JSON form printed with `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.kind,
            "message": self.message,
            "respcd": self.respcd,
            "out_trade_no": self.out_trade_no,
            "syssn": self.syssn,
            "exit_code": self.code,
        })
    }
}

impl From<qfpay::Error> for Failure {
    fn from(e: qfpay::Error) -> Self {
        let code = match e.code() {
            "validation" | "config" => 2,
            _ => 1,
        };
        Self {
            code,
            message: e.to_string(),
            kind: e.code().to_owned(),
            respcd: e.respcd().map(str::to_owned),
            out_trade_no: e.out_trade_no().map(str::to_owned),
            syssn: e.syssn().map(str::to_owned),
        }
    }
}

/// `QFPAY_LOG`, read by the core's one rule (`qfpay::log_filter`): a level turns on the SDK's,
/// the sandbox's and this tool's events at that level; `target=level` directives select targets.
/// Unset, empty or `off`: no logging. An unusable value: one warning, and logging stays off.
fn init_logging() {
    use std::io::IsTerminal;
    let env = qfpay::log_filter::env_log();
    if let Some(w) = env.take_warning() {
        output::err_line(&format!("warning: {w}"));
    }
    let Some(spec) = &env.filter else {
        return;
    };
    let directives = spec.tracing_directives(&["qfpay", "qfpay_sandbox", "qfpay_cli"]);
    let filter = match tracing_subscriber::EnvFilter::try_new(&directives) {
        Ok(f) => f,
        Err(e) => {
            output::err_line(&format!(
                "warning: {} could not be applied ({e}); logging stays off",
                qfpay::log_filter::ENV
            ));
            return;
        }
    };
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output::err_line(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    let json = cli.json;
    let target = Target {
        base_url: cli.base_url,
        app_code: cli.app_code,
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Demo { out_dir } => demo::run(out_dir, json).await,
            Command::Sandbox(a) => commands::sandbox(a, &target, json).await,
            Command::Sign(a) => commands::sign(a, json),
            Command::Pay(a) => commands::pay(a, &target, json).await,
            Command::CheckoutUrl(a) => commands::checkout_url(a, &target, json),
            Command::Query(a) => commands::query(a, &target, json).await,
            Command::Export(a) => export::run(a, &target, json).await,
            Command::Reconcile(a) => reconcile::run(a, &target, json).await,
            Command::Wait(a) => commands::wait(a, &target, json).await,
            Command::Refund(a) => commands::refund(a, &target, json).await,
            Command::Close(a) => commands::cancel(a, false, &target, json).await,
            Command::Reverse(a) => commands::cancel(a, true, &target, json).await,
            Command::Note(a) => commands::note(a, &target, json).await,
            Command::VerifyNotification(a) => commands::verify(a, json),
            Command::BenchSandbox(a) => bench::run(a, json).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                output::line(&f.to_json().to_string());
            } else if f.kind == "usage" || f.kind == "failed" {
                output::err_line(&format!("error: {}", f.message));
            } else {
                output::err_line(&format!("error: {} ({})", f.message, f.kind));
            }
            ExitCode::from(f.code)
        }
    }
}
