/**
 * The V8 old-generation limit a cluster's workers run with (ADR 0052). Without one, V8 sizes its
 * heap for the machine (about 4 GB on this project's 24 GB machines) and lets a busy worker's heap
 * grow far ahead of its live objects before collecting: a worker's resident memory went from about
 * 110 MB idle to 230–280 MB under load while its live heap stayed near 41 MB. A limit of
 * HEAP_LIMIT_MB makes V8 collect sooner; the young generation, where a request's garbage is
 * collected, keeps its default size.
 */
const HEAP_FLAG = /^--max[-_]old[-_]space[-_]size(=|$)/;

/**
 * The workers' Node options: the primary's own (`process.execArgv`), with the old-generation
 * limit added unless the operator already gave one, on the command line or in NODE_OPTIONS (theirs
 * wins).
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string | undefined, limitMb: number): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].some((option) => HEAP_FLAG.test(option));
  return given ? [...execArgv] : [...execArgv, `--max-old-space-size=${limitMb}`];
}
