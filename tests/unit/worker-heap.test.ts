import { describe, expect, it } from "vitest";
import { workerExecArgv } from "~/http/worker-heap.server";

describe("the workers' heap limit (ADR 0052)", () => {
  it("is added to the primary's own Node options", () => {
    expect(workerExecArgv(["--enable-source-maps"], undefined, 512)).toEqual(["--enable-source-maps", "--max-old-space-size=512"]);
    expect(workerExecArgv([], "", 256)).toEqual(["--max-old-space-size=256"]);
  });

  it("leaves the operator's own limit alone, on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(workerExecArgv(["--max-old-space-size=2048"], undefined, 512)).toEqual(["--max-old-space-size=2048"]);
    expect(workerExecArgv(["--enable-source-maps"], "--trace-warnings --max_old_space_size=1024", 512)).toEqual(["--enable-source-maps"]);
  });

  it("is not fooled by other heap options", () => {
    expect(workerExecArgv(["--max-semi-space-size=16"], "--max-old-space-size-x", 512)).toEqual(["--max-semi-space-size=16", "--max-old-space-size=512"]);
  });
});
