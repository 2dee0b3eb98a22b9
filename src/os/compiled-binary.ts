// Whether this process is the compiled single executable (`bun build --compile`) or the plain bundle
// (`node`/`bun dist/buckaroo-table.cjs`): the server names its executable by it, the lifecycle re-executes by
// it, `upgrade` refuses to replace a script. The binary is the one with embedded files (src/os/embedded.ts).

export { isCompiledBinary } from './embedded.ts';
