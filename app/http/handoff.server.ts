import cluster, { type Worker } from "node:cluster";
import type http from "node:http";
import net from "node:net";

/**
 * Several serving processes on one port, with a shutdown that cuts nothing (issue 18, ADR 0035).
 *
 * node:cluster's own round-robin mode keeps the listening socket in the primary and only closes
 * it when the last worker has closed its server: a connection the primary accepts after a worker
 * started closing is handed to a worker that no longer takes it, or closed with the primary's
 * queue, and the client sees a reset. So the primary listens itself and hands each accepted
 * connection to a ready worker over the IPC channel (what round-robin mode does inside node). On
 * shutdown the order is then the primary's to choose: close the listening socket first (new
 * connections are refused, as with one process), then tell each worker to drain. The IPC channel
 * is ordered, so every connection handed over before the drain message reaches its worker first.
 */
const HANDOFF = "academy:connection";
const READY = "academy:worker-ready";
const STOPPING = "academy:worker-stopping";
const DRAIN = "academy:drain";

interface Message {
  type?: string;
}

/**
 * Sends over a worker's IPC channel, ignoring a channel that has just closed (a worker that
 * drained and exited): without a callback, that failure is an 'error' event, which would stop the
 * primary in the middle of its own shutdown.
 */
function tell(worker: Worker, message: Message): void {
  if (worker.isConnected()) worker.send(message, undefined, () => undefined);
}

/**
 * In the primary: accepts on host:port once `expectedWorkers` workers are ready, and hands
 * connections to ready workers in turn. A worker told to stop on its own (its SIGTERM, before or
 * without the primary's) says so: it gets no new connections while another worker can take them,
 * and `replace` starts its successor; it is told to drain once a successor is ready or the port
 * has closed. Until then it still serves what it is given, with `Connection: close`.
 */
export function distributeConnections(options: { host: string; port: number; expectedWorkers: number; replace: (worker: Worker) => void }) {
  const ready: Worker[] = [];
  const stopping = new Set<Worker>();
  const waiting: net.Socket[] = [];
  let next = 0;
  let closing = false;
  /** Workers told to drain (once each). */
  const draining = new WeakSet<Worker>();
  const everReady = new WeakSet<Worker>();
  const drain = (worker: Worker) => {
    if (draining.has(worker)) return;
    draining.add(worker);
    tell(worker, { type: DRAIN });
  };
  const listener = net.createServer({ pauseOnConnect: true }, (socket) => handOff(socket));

  function pick(): Worker | undefined {
    if (ready.length > 0) {
      next = (next + 1) % ready.length;
      return ready[next];
    }
    return [...stopping][0];
  }

  function handOff(socket: net.Socket): void {
    const worker = pick();
    if (!worker) {
      // Only while the first workers start, or all are being replaced: the next ready one takes it.
      waiting.push(socket);
      return;
    }
    worker.send({ type: HANDOFF }, socket, (error) => {
      if (!error) return;
      // The worker went away between accepting and sending: give the connection to another.
      forget(worker);
      if (!socket.destroyed) handOff(socket);
    });
  }

  function forget(worker: Worker): void {
    const index = ready.indexOf(worker);
    if (index >= 0) ready.splice(index, 1);
    stopping.delete(worker);
  }

  function drainStopping(): void {
    for (const worker of stopping) drain(worker);
    stopping.clear();
  }

  let markListening: (() => void) | null = null;
  const listening = new Promise<void>((resolve) => (markListening = resolve));
  cluster.on("message", (worker, message: Message | null) => {
    if (message?.type === STOPPING) {
      forget(worker);
      if (closing) {
        drain(worker);
        return;
      }
      stopping.add(worker);
      options.replace(worker);
      return;
    }
    if (message?.type === READY) everReady.add(worker);
    if (message?.type !== READY || closing) return;
    if (!ready.includes(worker)) ready.push(worker);
    drainStopping();
    for (const socket of waiting.splice(0)) handOff(socket);
    if (ready.length >= options.expectedWorkers && markListening) {
      const done = markListening;
      markListening = null;
      listener.listen(options.port, options.host, () => done());
    }
  });
  cluster.on("exit", (worker) => forget(worker));

  return {
    /** Resolves once the port accepts connections (every worker started). */
    listening,
    /**
     * Stops accepting (new connections are refused from here on), hands over what was accepted,
     * then tells every worker to drain.
     */
    stopAccepting(): void {
      closing = true;
      // Closes the listening socket now. Not waiting for close's callback: node calls it only once
      // every connection handed to a worker has ended, which is what the drain below brings about.
      if (listener.listening) listener.close();
      for (const socket of waiting.splice(0)) {
        const worker = Object.values(cluster.workers ?? {}).find((w) => w?.isConnected() && !draining.has(w));
        if (worker) worker.send({ type: HANDOFF }, socket, () => undefined);
        else socket.destroy();
      }
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (!worker) continue;
        drain(worker);
        // A successor still starting may not hear the message: it has no connections, so stop it.
        if (!everReady.has(worker)) worker.process.kill("SIGTERM");
      }
    },
  };
}

/**
 * In a worker: serves the connections the primary hands over with `server` (which never listens
 * itself). `onDrainRequested` is called when the primary says to drain (or has gone away), which
 * may come before this worker's own signal or without one. Returns `stopRequested` (below) and
 * - `drain`: lets requests in flight finish (their responses carry `Connection: close`), leaves
 *   idle keep-alive connections to their keep-alive timeout rather than cutting one a request may
 *   be on its way on, and after `timeoutMs` destroys whatever is left.
 */
export function serveHandedConnections(server: http.Server, options: { onDrainRequested: () => void }) {
  const open = new Set<net.Socket>();
  let emptied: (() => void) | null = null;
  // Connection tracking (headers and request timeouts) starts on 'listening' in node's http server.
  server.emit("listening");
  let resolveRequested: () => void = () => undefined;
  const requested = new Promise<void>((resolve) => (resolveRequested = resolve));
  const drainRequested = () => {
    resolveRequested();
    options.onDrainRequested();
  };
  process.on("message", (message: Message | null, socket?: unknown) => {
    if (message?.type === DRAIN) drainRequested();
    if (message?.type !== HANDOFF || !(socket instanceof net.Socket)) return;
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      if (open.size === 0) emptied?.();
    });
    server.emit("connection", socket);
    socket.resume();
  });
  // The primary is gone (it crashed or was killed): nothing more will be handed over.
  process.once("disconnect", () => drainRequested());
  process.send?.({ type: READY }, undefined, undefined, () => undefined);
  return {
    /**
     * This worker was told to stop: the primary hands it no new connection once another worker
     * can take them, then says so. Resolves when the worker should drain.
     */
    async stopRequested(): Promise<void> {
      if (process.connected) process.send?.({ type: STOPPING }, undefined, undefined, () => undefined);
      await requested;
    },
    /** Resolves true when every connection ended by itself, false when the timeout closed some. */
    async drain(timeoutMs: number): Promise<boolean> {
      if (open.size === 0) return true;
      let cut = false;
      const allClosed = new Promise<void>((resolve) => (emptied = resolve));
      const timeout = setTimeout(() => {
        cut = true;
        for (const socket of open) socket.destroy();
      }, timeoutMs);
      timeout.unref();
      await allClosed;
      clearTimeout(timeout);
      return !cut;
    },
    /** Connections open now (for the shutdown log). */
    openConnections: () => open.size,
  };
}
