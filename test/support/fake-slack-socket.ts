import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.js';

/**
 * Slack's Socket Mode end, for a FakeSlack whose apps.connections.open hands out its address: it
 * keeps the sockets the app opens, greets each with Slack's hello, and records the app's answers.
 */
export class FakeSlackSocket {
  readonly sockets: WebSocket[] = [];
  /** What the app sent back: acknowledgements of envelopes, by envelope_id. */
  readonly acks: Record<string, unknown>[] = [];
  /** While set, a new socket is not greeted: Slack's client counts itself connected only at its hello. */
  holdHello = false;
  private wss: WebSocketServer | null = null;

  async start(fake: FakeSlack): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss = wss;
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data) => this.acks.push(JSON.parse(String(data))));
      if (!this.holdHello) this.hello(socket);
    });
  }

  hello(socket: WebSocket): void {
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise((r) => this.wss?.close(r) ?? r(undefined));
  }
}
