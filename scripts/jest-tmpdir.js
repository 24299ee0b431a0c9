const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/**
 * Jest's global setup and teardown point TMPDIR at a fresh folder for the
 * whole run, so that what tests leave in the temp directory is visible: a
 * test that creates a temp folder must remove it. (The app and the ops
 * commands keep their transpile cache in node_modules/.cache; see
 * swc-register.cjs.) Beside it, `<folder>-shared` holds what the run's test
 * files may share read-only (one synthesized app: __tests__/synth-main.ts);
 * it is removed too, and is not counted as left behind.
 */
const STATE = Symbol.for("mindmirror.jest.tmpdir");
/** Names the run's shared folder for the test workers. */
const SHARED_VARIABLE = "MINDMIRROR_JEST_SHARED";

/** Creates the run's folder under `base`; returns it. */
function create(base) {
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, "mindmirror-jest-"));
  fs.mkdirSync(`${dir}-shared`);
  return { dir, shared: `${dir}-shared` };
}

/** Removes the run's folder; returns what tests left in it, sorted. */
function remove({ dir }) {
  const left = fs.readdirSync(dir).sort();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}-shared`, { recursive: true, force: true });
  return left;
}

/** Throws unless `left` is empty. */
function assertNothingLeft(left) {
  if (left.length === 0) return;
  const shown = left.slice(0, 10).join(", ");
  throw new Error(`tests left ${left.length} entries in the temp directory (${shown}${left.length > 10 ? ", …" : ""}); remove what a test creates in afterEach/afterAll`);
}

/** Points TMPDIR at a fresh folder under `base` (the temp directory unless given). */
function setup(base = os.tmpdir()) {
  const state = create(base);
  globalThis[STATE] = { ...state, original: process.env.TMPDIR, originalShared: process.env[SHARED_VARIABLE] };
  process.env.TMPDIR = state.dir;
  process.env[SHARED_VARIABLE] = state.shared;
}

/** Restores TMPDIR and removes the run's folder; returns what tests left. */
function cleanup() {
  const state = globalThis[STATE];
  if (state === undefined) return [];
  delete globalThis[STATE];
  if (state.original === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = state.original;
  if (state.originalShared === undefined) delete process.env[SHARED_VARIABLE];
  else process.env[SHARED_VARIABLE] = state.originalShared;
  return remove(state);
}

/** Fails the run when tests left anything in the temp folder (it is removed either way). */
function teardown() {
  assertNothingLeft(cleanup());
}

module.exports = { SHARED_VARIABLE, create, remove, assertNothingLeft, setup, cleanup, teardown };
