/** Tiny but genuine evidence files, generated rather than committed as binaries. */
export function tinyPdf(): Buffer {
  return Buffer.from(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    "latin1",
  );
}

export function tinyPng(): Buffer {
  return Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
    "hex",
  );
}

export function tinyJpeg(): Buffer {
  return Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
}

/** An HTML page that a careless server would happily serve as a "PDF". */
export function htmlNamedPdf(): Buffer {
  return Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>", "utf8");
}

export function bytesOfSize(size: number, first: Buffer = tinyPdf()): Buffer {
  const buffer = Buffer.alloc(size, 0x20);
  first.copy(buffer, 0, 0, Math.min(first.length, size));
  return buffer;
}
