//! A real SMTP server for the tests, on 127.0.0.1 and port 0: it speaks the protocol as far as a
//! client needs (EHLO, MAIL, RCPT, DATA, QUIT), keeps every message it accepts, and can refuse
//! the next deliveries with a given reply.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    /// Every message accepted, as the client sent it after DATA (headers and body).
    pub messages: Arc<Mutex<Vec<String>>>,
    /// Replies to the next DATA commands instead of accepting (e.g. "451 4.3.0 Try later").
    pub refuse: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            port: listener.local_addr().unwrap().port(),
            ..SmtpSink::default()
        };
        let server = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let sink = server.clone();
                tokio::spawn(async move {
                    let _ = sink.converse(socket).await;
                });
            }
        });
        sink
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }

    /// A mailer that delivers here.
    pub fn mailer(&self) -> server::mail::SmtpMailer {
        use server::mail::{SmtpMailer, SmtpSettings, SmtpTls};
        SmtpMailer::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: SmtpTls::None,
            user: None,
            password: None,
            from: "Klantstem <noreply@klantstem.test>".into(),
        })
        .unwrap()
    }
}

/// The text of a message as a reader sees it: quoted-printable soft breaks joined and `=XX`
/// escapes decoded (long lines such as links arrive encoded).
pub fn readable(message: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SmtpSink {
    /// The first link in the newest message to `to` that starts with `prefix`.
    pub fn link_to(&self, to: &str, prefix: &str) -> Option<String> {
        self.messages()
            .iter()
            .rev()
            .filter(|m| m.contains(&format!("To: {to}")))
            .map(|m| readable(m))
            .find_map(|m| {
                let start = m.find(prefix)?;
                let end = m[start..]
                    .find(|c: char| c.is_whitespace())
                    .map_or(m.len(), |e| start + e);
                Some(m[start..end].to_string())
            })
    }

    async fn converse(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 sink.test ESMTP\r\n").await?;
        while let Some(line) = lines.next_line().await? {
            let command = line.to_ascii_uppercase();
            let reply = if command.starts_with("EHLO") || command.starts_with("HELO") {
                "250-sink.test\r\n250 8BITMIME".to_string()
            } else if command.starts_with("DATA") {
                let refusal = {
                    let mut refuse = self.refuse.lock().unwrap();
                    (!refuse.is_empty()).then(|| refuse.remove(0))
                };
                if let Some(refusal) = refusal {
                    refusal
                } else {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let mut message = String::new();
                    while let Some(data) = lines.next_line().await? {
                        if data == "." {
                            break;
                        }
                        message.push_str(data.strip_prefix('.').unwrap_or(&data));
                        message.push('\n');
                    }
                    self.messages.lock().unwrap().push(message);
                    "250 2.0.0 Queued".to_string()
                }
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            } else {
                "250 2.0.0 OK".to_string()
            };
            write.write_all(format!("{reply}\r\n").as_bytes()).await?;
        }
        Ok(())
    }
}
