import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free now, from 20000–32767: below the
 * kernel's ephemeral range (32768 and up on Linux), which every listen(0) and
 * every outgoing connection on the machine draws from. A port chosen there
 * (the usual listen(0)-then-close helper) can be taken by any of those before
 * our process binds it, and with tests running side by side that happened
 * (a worker's metrics port, the dev launcher's mail port). Ports below that
 * range are only taken by processes that ask for them by number. Also needed
 * by the cluster: PostgreSQL keeps membership ports in a smallint.
 *
 * @param taken ports this caller already handed out (added to)
 * @throws when none is free after 500 tries
 */
export async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port found in 20000–32767');
}
