/**
 * `lazyscribe`: browse, log, release and promote versioned artifacts.
 * Bundled into one file (dist/lazyscribe.mjs); the library is loaded lazily
 * by the commands that need it.
 */
import { Command, CommanderError } from "commander";
import { register as registerCat } from "./commands/cat.js";
import { register as registerCompletion } from "./commands/completion.js";
import { register as registerDiff } from "./commands/diff.js";
import { register as registerExpire } from "./commands/expire.js";
import { register as registerGc } from "./commands/gc.js";
import { register as registerLog } from "./commands/log.js";
import { register as registerLs } from "./commands/ls.js";
import { register as registerProject } from "./commands/project.js";
import { register as registerRelease } from "./commands/release.js";
import { register as registerShow } from "./commands/show.js";
import { register as registerUi } from "./commands/ui.js";
import { register as registerVerify } from "./commands/verify.js";
import { register as registerVersions } from "./commands/versions.js";
import { withGlobals } from "./context.js";
import { assertKnownHelpTarget } from "./helpTarget.js";
import { debugDetails, describeError, EXIT_OK, EXIT_USAGE, exitCodeFor, oneLine } from "./errors.js";
import { examples, stderrColors } from "./output.js";

declare const __CLI_VERSION__: string;
const VERSION = typeof __CLI_VERSION__ === "string" ? __CLI_VERSION__ : "0.0.0-dev";

/** The whole command tree. */
export function buildProgram(): Command {
  const program = new Command("lazyscribe");
  program
    .description("Versioned artifacts shared with Python lazyscribe: browse, log, expire, release and promote.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    // Global options are accepted before the command and by every command
    // itself; positional parsing keeps `show --version <n>` apart from `--version`.
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(usageLine(s)),
    })
    .addHelpText(
      "after",
      examples("lazyscribe ls", "lazyscribe show features --version 2025-02-10T00:00:00 --asof", "lazyscribe log features features.json --handler json", "lazyscribe release create v1.0.0") +
        "\nExit codes: 0 ok, 1 failure, 2 usage error. Colour only on a terminal without NO_COLOR.\n" +
        '--json: non-finite numbers (metrics) are the strings "NaN", "Infinity", "-Infinity".\n',
    );
  withGlobals(program);
  registerLs(program);
  registerVersions(program);
  registerShow(program);
  registerCat(program);
  registerLog(program);
  registerExpire(program);
  registerDiff(program);
  registerVerify(program);
  registerGc(program);
  registerRelease(program);
  registerProject(program);
  registerUi(program);
  registerCompletion(program);
  return program;
}

/** Commander's own error text as one `lazyscribe:` line with a pointer to --help. */
function usageLine(text: string): string {
  const message = oneLine(text.replace(/^error:\s*/i, ""));
  const c = stderrColors();
  return `lazyscribe: ${c.red(message)} (see lazyscribe --help)\n`;
}

/** Run the CLI with user arguments; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const program = buildProgram();
  try {
    assertKnownHelpTarget(program, argv);
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version were printed; everything else is a usage error already reported.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const code = exitCodeFor(err);
    const c = stderrColors();
    process.stderr.write(`lazyscribe: ${c.red(describeError(err))}${code === EXIT_USAGE ? " (see lazyscribe --help)" : ""}\n`);
    if (debug) process.stderr.write(`${debugDetails(err)}\n`);
    return code;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lazyscribe: internal error: ${describeError(err)}\n${debugDetails(err)}\n`);
    process.exitCode = 1;
  },
);
