/**
 * `npm run build`, after `remix build`: bundles each page island (app/islands/<name>.tsx) for the
 * browser into public/islands/<name>-<hash>.js (served at /islands/, immutable), and writes
 * build/islands.json (name → URL), which the server reads to put the island's script on the pages
 * whose route names it (`handle.island`; ADR 0047). `--watch` rebuilds on change (`npm run dev`).
 */
import fs from "node:fs";
import path from "node:path";
import { context, type BuildOptions, type Metafile } from "esbuild";

/** The islands there are: each is one entry point, and one script a page loads. */
const ISLANDS = ["lesson"];
/** Outside public/build, which `remix build` and `remix watch` empty on every build. */
const OUT_DIR = "public/islands";
const ISLANDS_MANIFEST = "build/islands.json";

function writeManifest(metafile: Metafile) {
  const manifest: Record<string, string> = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint) manifest[path.basename(output.entryPoint, ".tsx")] = `/${path.relative("public", file).split(path.sep).join("/")}`;
  }
  fs.mkdirSync(path.dirname(ISLANDS_MANIFEST), { recursive: true });
  fs.writeFileSync(ISLANDS_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

const options: BuildOptions = {
  entryPoints: ISLANDS.map((name) => `app/islands/${name}.tsx`),
  outdir: OUT_DIR,
  entryNames: "[name]-[hash]",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  jsx: "automatic",
  minify: true,
  // React's production build, as the Remix client bundle uses.
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  metafile: true,
  tsconfig: "tsconfig.json",
  logLevel: "warning",
  plugins: [
    {
      name: "manifest",
      setup(build) {
        build.onStart(() => fs.rmSync(OUT_DIR, { recursive: true, force: true }));
        build.onEnd((result) => {
          if (result.metafile) writeManifest(result.metafile);
        });
      },
    },
  ],
};

const builder = await context(options);
if (process.argv.includes("--watch")) {
  await builder.watch();
} else {
  await builder.rebuild();
  await builder.dispose();
  console.log(`Built the page islands (${ISLANDS.join(", ")}) → ${OUT_DIR}/, ${ISLANDS_MANIFEST}.`);
}
