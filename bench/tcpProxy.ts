import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder in front of the sandbox PSP, so a fault run can take the PSP off the network
 * (connections refused, open ones cut) while the sandbox keeps its payments in memory, as GOV.UK
 * Pay keeps them through an outage on its side.
 */
export type TcpProxy = { port: number; down: () => Promise<void>; up: () => Promise<void> };

export async function startTcpProxy(targetPort: number, port = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      next.once('error', reject);
      next.listen(onPort, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as { port: number }).port);
      });
    });
  const boundPort = await listen(port);
  return {
    port: boundPort,
    down: async () => {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
    up: async () => {
      if (server === undefined) await listen(boundPort);
    },
  };
}
