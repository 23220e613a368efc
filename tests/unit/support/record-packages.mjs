/**
 * `node --import ./record-packages.mjs …`: appends to RECORD_PACKAGES_FILE the URL of every
 * module under node_modules that the process imports (a module-resolution hook), so a test can
 * see which packages a process loaded (tests/unit/lazy-packages.test.ts). Stylesheet imports get
 * a stand-in address, as the bundler would give them one.
 */
import { register } from "node:module";

register("./record-packages-hooks.mjs", import.meta.url, { data: { file: process.env.RECORD_PACKAGES_FILE } });
