//! Login throttling that cannot be turned into a lockout.
//!
//! A hard lock after N failures lets anyone who knows an e-mail address lock its owner out (the
//! admin included), and a lock per client address locks out a whole office behind one NAT. So
//! failures slow down the one who makes them, with a wait that doubles, never a fixed lock:
//!
//! - per account *and* client: after 5 failures the next try waits 5 s, then 10 s, 20 s, …
//!   up to 15 minutes. A correct password from a client that did not fail still logs in.
//! - per client over all accounts (one address trying many accounts): after 30 failures.
//! - per account over all clients (a guess spread over many addresses): after 10 failures,
//!   every client that has itself failed on this account waits too, so each new address gets
//!   one guess at most; clients that did not fail are not slowed.
//!
//! The client is the address `client_ip` believes (a rotated `X-Forwarded-For` from an
//! untrusted peer changes nothing). Kept in memory: a restart forgets.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A wait after the first failures that doubles with every further failure.
struct Backoff {
    /// Failures before any wait.
    free: u32,
    first_wait: Duration,
    max_wait: Duration,
    /// A key whose last failure is this old starts afresh.
    forget_after: Duration,
    /// Failures and the time of the last one, per key.
    entries: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Backoff {
    fn new(free: u32) -> Self {
        Backoff {
            free,
            first_wait: Duration::from_secs(5),
            max_wait: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(30 * 60),
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn failures(&self, key: &str) -> u32 {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(key) {
            Some((n, last)) if last.elapsed() < self.forget_after => *n,
            _ => 0,
        }
    }

    /// How long `key` must still wait (zero: it may try now).
    fn wait(&self, key: &str) -> Duration {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let Some((n, last)) = entries.get(key) else {
            return Duration::ZERO;
        };
        if *n < self.free || last.elapsed() >= self.forget_after {
            return Duration::ZERO;
        }
        let doublings = (*n - self.free).min(16);
        let wait = self
            .first_wait
            .saturating_mul(1 << doublings)
            .min(self.max_wait);
        wait.saturating_sub(last.elapsed())
    }

    fn record_failure(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if entries.len() > 100_000 {
            // Bound memory under a flood of distinct keys: forget the stale ones.
            let forget = self.forget_after;
            entries.retain(|_, (_, last)| now.duration_since(*last) < forget);
        }
        let entry = entries.entry(key.to_string()).or_insert((0, now));
        if now.duration_since(entry.1) >= self.forget_after {
            entry.0 = 0;
        }
        entry.0 += 1;
        entry.1 = now;
    }

    fn reset(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

pub struct LoginThrottle {
    pair: Backoff,
    client: Backoff,
    account: Backoff,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            pair: Backoff::new(5),
            client: Backoff::new(30),
            account: Backoff::new(10),
        }
    }
}

fn pair_key(account: &str, client: &str) -> String {
    format!("{account}\n{client}")
}

impl LoginThrottle {
    /// `Err(wait)` when this client must wait before trying this account again.
    pub fn check(&self, account: &str, client: &str) -> Result<(), Duration> {
        let pair = pair_key(account, client);
        let mut wait = self.pair.wait(&pair).max(self.client.wait(client));
        if self.pair.failures(&pair) > 0 {
            wait = wait.max(self.account.wait(account));
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait)
        }
    }

    pub fn record_failure(&self, account: &str, client: &str) {
        self.pair.record_failure(&pair_key(account, client));
        self.client.record_failure(client);
        self.account.record_failure(account);
    }

    /// A successful login clears this client's failures on the account.
    pub fn record_success(&self, account: &str, client: &str) {
        self.pair.reset(&pair_key(account, client));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(t: &LoginThrottle, account: &str, client: &str, times: u32) {
        for _ in 0..times {
            t.record_failure(account, client);
        }
    }

    #[test]
    fn failures_slow_down_the_client_that_made_them_only() {
        let t = LoginThrottle::default();
        fail(&t, "admin@x.nl", "203.0.113.9", 4);
        assert!(
            t.check("admin@x.nl", "203.0.113.9").is_ok(),
            "four are free"
        );
        fail(&t, "admin@x.nl", "203.0.113.9", 1);
        let wait = t.check("admin@x.nl", "203.0.113.9").unwrap_err();
        assert!(wait > Duration::from_secs(4) && wait <= Duration::from_secs(5));
        // The owner, at another address, is not locked out.
        assert!(t.check("admin@x.nl", "198.51.100.1").is_ok());
    }

    #[test]
    fn the_wait_doubles_up_to_a_quarter_of_an_hour() {
        let t = LoginThrottle::default();
        fail(&t, "a@x.nl", "c", 6);
        assert!(t.check("a@x.nl", "c").unwrap_err() > Duration::from_secs(9));
        fail(&t, "a@x.nl", "c", 20);
        assert_eq!(
            t.check("a@x.nl", "c").unwrap_err().as_secs().div_ceil(60),
            15
        );
        t.record_success("a@x.nl", "c");
        assert!(t.check("a@x.nl", "c").is_ok());
    }

    #[test]
    fn spraying_many_accounts_slows_the_client_down() {
        let t = LoginThrottle::default();
        for i in 0..30 {
            t.record_failure(&format!("user{i}@x.nl"), "203.0.113.9");
        }
        assert!(t.check("someone-else@x.nl", "203.0.113.9").is_err());
        assert!(t.check("someone-else@x.nl", "198.51.100.1").is_ok());
    }

    #[test]
    fn a_guess_spread_over_addresses_gives_each_address_one_try() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            t.record_failure("boss@x.nl", &format!("203.0.113.{i}"));
        }
        // An address that failed once on the account now waits; a fresh one does not.
        assert!(t.check("boss@x.nl", "203.0.113.3").is_err());
        assert!(t.check("boss@x.nl", "198.51.100.1").is_ok());
    }
}
