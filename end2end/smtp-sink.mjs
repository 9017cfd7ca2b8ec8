// A real SMTP server for the browser tests: the app under test delivers its outbox here over
// SMTP, and the tests read what arrived (decoded as a reader sees it) from a small HTTP endpoint.
//   SMTP: 127.0.0.1:$SINK_SMTP_PORT   HTTP: GET 127.0.0.1:$SINK_HTTP_PORT/messages
import net from 'node:net';
import http from 'node:http';

const smtpPort = Number(process.env.SINK_SMTP_PORT ?? 2525);
const httpPort = Number(process.env.SINK_HTTP_PORT ?? 2580);
const messages = [];

// Quoted-printable soft breaks and escapes, as a mail reader undoes them.
function readable(raw) {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const m = joined.slice(i, i + 3).match(/^=([0-9A-F]{2})$/);
    if (m) {
      bytes.push(parseInt(m[1], 16));
      i += 2;
    } else {
      for (const b of Buffer.from(joined[i], 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

net.createServer((socket) => {
  socket.setEncoding('utf8');
  let buffer = '';
  let data = null;
  let to = [];
  const reply = (line) => socket.write(line + '\r\n');
  reply('220 sink.test ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk;
    let i;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (data !== null) {
        if (line === '.') {
          messages.push({ to, text: readable(data.join('\r\n')) });
          data = null;
          to = [];
          reply('250 2.0.0 Accepted');
        } else {
          data.push(line.startsWith('..') ? line.slice(1) : line);
        }
        continue;
      }
      const command = line.toUpperCase();
      if (command.startsWith('EHLO') || command.startsWith('HELO')) reply('250-sink.test\r\n250 8BITMIME');
      else if (command.startsWith('RCPT TO:')) {
        to.push(line.slice(8).replace(/[<>\s]/g, ''));
        reply('250 OK');
      } else if (command.startsWith('DATA')) {
        data = [];
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (command.startsWith('QUIT')) {
        reply('221 Bye');
        socket.end();
      } else reply('250 OK');
    }
  });
  socket.on('error', () => {});
}).listen(smtpPort, '127.0.0.1');

http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(req.url === '/healthz' ? { ok: true } : messages));
}).listen(httpPort, '127.0.0.1');
