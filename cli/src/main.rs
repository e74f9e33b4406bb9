//! `qfpay`: the QFPay command line. `qfpay demo` runs the whole payment story on an embedded
//! sandbox; `qfpay sandbox` serves one; `sign`, `pay`, `query`, `refund`, `close`, `reverse` and
//! `verify-notification` work against any environment configured by `QFPAY_*` variables.

mod bench;
mod commands;
mod demo;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The QFPay command line.
#[derive(Debug, Parser)]
#[command(
    name = "qfpay",
    version,
    about = "QFPay Open API: demo, local sandbox, signing and API calls"
)]
struct Cli {
    /// Print JSON instead of human-readable text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole story on an embedded sandbox: QR payment, scan, notification, query, refund.
    Demo {
        /// Where to write qfpay-demo-qr.png and qfpay-demo-qr.svg (default: a new temp dir).
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
    /// Serve a local QFPay sandbox; prints one JSON line (base_url, app_code, client_key, mchid).
    Sandbox(SandboxArgs),
    /// Show the string to sign (key masked) and the signature for parameters.
    Sign(SignArgs),
    /// Create a payment.
    Pay(PayArgs),
    /// Query transactions.
    Query(QueryArgs),
    /// Refund a paid transaction, fully or partly.
    Refund(RefundArgs),
    /// Close an unpaid order.
    Close(CancelArgs),
    /// Reverse an unfinished transaction.
    Reverse(CancelArgs),
    /// Verify a notification's X-QF-SIGN over its raw body and print it.
    VerifyNotification(VerifyArgs),
    /// Measure payment creations per second on an embedded sandbox (keep-alive, loopback).
    BenchSandbox(bench::BenchArgs),
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
    /// Merchant order number (generated when absent).
    #[arg(long)]
    pub out_trade_no: Option<String>,
    /// Goods name.
    #[arg(long)]
    pub goods_name: Option<String>,
    /// Customer's payment code (CPM pay types).
    #[arg(long)]
    pub auth_code: Option<String>,
    /// QR validity in minutes (5-120).
    #[arg(long)]
    pub expired_time: Option<u32>,
    /// Notification URL for this payment.
    #[arg(long)]
    pub notify_url: Option<String>,
    /// Print the QR code in the terminal.
    #[arg(long)]
    pub qr: bool,
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

/// `qfpay close` / `qfpay reverse` options.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The order's syssn.
    #[arg(long, required_unless_present = "out_trade_no")]
    pub syssn: Option<String>,
    /// The order's out_trade_no.
    #[arg(long)]
    pub out_trade_no: Option<String>,
    /// Amount and currency.
    #[command(flatten)]
    pub money: AmountArgs,
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
}

impl Failure {
    /// A usage or validation problem (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// Anything else (exit 1).
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
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
            message: format!("{} ({})", e, e.code()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("QFPAY_LOG"))
        .with_writer(std::io::stderr)
        .try_init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let json = cli.json;
    let result = rt.block_on(async move {
        match cli.command {
            Command::Demo { out_dir } => demo::run(out_dir, json).await,
            Command::Sandbox(a) => commands::sandbox(a).await,
            Command::Sign(a) => commands::sign(a, json),
            Command::Pay(a) => commands::pay(a, json).await,
            Command::Query(a) => commands::query(a, json).await,
            Command::Refund(a) => commands::refund(a, json).await,
            Command::Close(a) => commands::cancel(a, false, json).await,
            Command::Reverse(a) => commands::cancel(a, true, json).await,
            Command::VerifyNotification(a) => commands::verify(a, json),
            Command::BenchSandbox(a) => bench::run(a, json).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"error": f.message, "exit_code": f.code})
                );
            } else {
                eprintln!("error: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}
