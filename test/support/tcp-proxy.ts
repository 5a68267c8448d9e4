import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/** A loopback TCP proxy the test can stop and start, to cut a real database off and bring it back. */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /**
   * Refuses new connections and cuts every open one, like a database going down; `reset`
   * sends an RST rather than a FIN, as a primary that vanished mid-flight would.
   */
  async stop(options: { reset?: boolean } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sockets)
      if (options.reset) s.resetAndDestroy();
      else s.destroy();
    await closed;
    this.server = undefined;
  }
}
