/** The hooks of record-packages.mjs (they run on Node's loader thread). */
import fs from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (file && result.url.includes("/node_modules/")) fs.appendFileSync(file, `${result.url}\n`);
  return result;
}

/** A stylesheet import (`~/styles/app.css?url`) is the bundler's to resolve: here, a stand-in address. */
export async function load(url, context, nextLoad) {
  if (/\.css(\?|$)/.test(url)) return { format: "module", source: 'export default "/stylesheet.css";', shortCircuit: true };
  return nextLoad(url, context);
}
