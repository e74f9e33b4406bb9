//! A client created before `fork()` keeps working in the children: fresh connection pool and
//! runtime per process, order numbers from the OS random source (never repeated across fork).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, unsafe_code)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use qfpay::{Currency, Money, PayType, PaymentRequest};
use qfpay_sandbox::{Sandbox, SandboxConfig};

// The C library std already links; declared here to avoid a dependency for one test.
unsafe extern "C" {
    fn fork() -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    fn kill(pid: i32, sig: i32) -> i32;
    fn _exit(code: i32) -> !;
}
const WNOHANG: i32 = 1;
const SIGKILL: i32 = 9;

const CHILDREN: usize = 4;
const EACH: usize = 5;

fn payment() -> PaymentRequest {
    PaymentRequest::cpm(
        Money::new(300, Currency::HKD),
        PayType::WechatCpm,
        "134567890123456789",
    )
}

/// What a child does; its exit status says how it went (0 = every payment succeeded).
fn child(blocking: &qfpay::blocking::Client, client: &qfpay::Client) -> i32 {
    for _ in 0..EACH {
        if blocking.create_payment(payment()).is_err() {
            return 2;
        }
    }
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return 3;
    };
    for _ in 0..EACH {
        if rt.block_on(client.create_payment(payment())).is_err() {
            return 4;
        }
    }
    // Numbers drawn in the child right after fork differ from every other process's.
    let n = qfpay::generate_out_trade_no();
    if n.len() != 34 {
        return 5;
    }
    0
}

#[test]
fn clients_created_before_fork_work_in_every_child() {
    let sb = Sandbox::start_background(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .unwrap();
    let m = sb.merchant();
    let client = qfpay::Client::builder()
        .base_url(sb.base_url())
        .credentials(m.app_code.clone(), m.client_key.clone())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let blocking = qfpay::blocking::Client::new(client.clone()).unwrap();
    // A second client (its own pool) for the async calls: a pool must not be shared between
    // runtimes, fork or not.
    let client = client.with_connect_timeout(Duration::from_secs(5)).unwrap();
    // The parent's pools and runtimes are in use (kept-alive connections) before the fork.
    blocking.create_payment(payment()).unwrap();
    let parent_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    parent_rt
        .block_on(client.create_payment(payment()))
        .unwrap();
    let mut pids = Vec::new();
    for _ in 0..CHILDREN {
        // SAFETY: the child only runs this crate's code on its own thread and leaves with
        // _exit, never returning into the test harness.
        let pid = unsafe { fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let code = child(&blocking, &client);
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { _exit(code) }
        }
        pids.push(pid);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut codes = Vec::new();
    for pid in pids {
        let mut status = 0;
        loop {
            // SAFETY: plain libc call on our own child.
            let r = unsafe { waitpid(pid, &mut status, WNOHANG) };
            if r == pid {
                break;
            }
            if Instant::now() > deadline {
                // SAFETY: as above.
                unsafe { kill(pid, SIGKILL) };
                panic!("child {pid} hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // WIFEXITED and WEXITSTATUS.
        codes.push(if status & 0x7f == 0 {
            (status >> 8) & 0xff
        } else {
            -1
        });
    }
    assert_eq!(codes, vec![0; CHILDREN], "every child paid");
    // The parent's own client still works after its children used theirs.
    blocking.create_payment(payment()).unwrap();
    // Every payment the sandbox received, by its out_trade_no (its request log).
    let numbers: Vec<String> = sb
        .requests()
        .iter()
        .filter(|r| r["path"] == "/trade/v1/payment")
        .filter_map(|r| {
            let body = r["body"].as_str()?.to_owned();
            form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "out_trade_no")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    let distinct: HashSet<&String> = numbers.iter().collect();
    assert_eq!(numbers.len(), 3 + CHILDREN * EACH * 2);
    assert_eq!(
        distinct.len(),
        numbers.len(),
        "no order number repeated across fork"
    );
}

#[test]
fn a_blocking_walk_read_ahead_is_refused_in_a_child_forked_during_it_and_goes_on_in_the_parent() {
    use qfpay::blocking::PagesAhead;
    use qfpay::client::Pages;

    let sb = Sandbox::start_background(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .unwrap();
    let blocking = qfpay::blocking::Client::new(sb.client_builder().build().unwrap()).unwrap();
    for _ in 0..3 {
        blocking.create_payment(payment()).unwrap();
    }
    let now = chrono::Utc::now() + chrono::TimeDelta::hours(8);
    let (from, to) = (
        now.format("%Y-%m-01 00:00:00").to_string(),
        now.format("%Y-%m-%d 23:59:59").to_string(),
    );
    let own = blocking.async_client().with_own_pool().unwrap();
    let walk = own
        .transactions(&from, &to, qfpay::QueryRequest::new())
        .unwrap()
        .min_interval(Duration::ZERO);
    let mut ahead = PagesAhead::start(Pages::Period(walk)).unwrap();
    // SAFETY: the child only calls this crate's code and leaves with _exit.
    let pid = unsafe { fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = match ahead.next_page() {
            Some(Err(e)) if e.code() == "config" && e.to_string().contains("fork") => 0,
            _ => 1,
        };
        // SAFETY: ends the child without running the parent's destructors.
        unsafe { _exit(code) }
    }
    let mut status = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // SAFETY: plain libc call on our own child.
        if unsafe { waitpid(pid, &mut status, WNOHANG) } == pid {
            break;
        }
        if Instant::now() > deadline {
            // SAFETY: as above.
            unsafe { kill(pid, SIGKILL) };
            panic!("child {pid} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(status, 0, "the child was refused with a config error");
    let records: usize = ahead.map(|p| p.unwrap().data.len()).sum();
    assert_eq!(records, 3);
}
