/**
 * `lazyscribe help <command>` for a command that does not exist: commander
 * would print the general help and exit 0; the CLI says the command is
 * unknown instead (a usage error), with commander's suggestion when there is one.
 */
import { closestName } from "@lazyscribe/core/internal";
import type { Command } from "commander";
import { UsageError } from "./errors.js";

/** Throw a {@link UsageError} when `argv` asks for help on a command that does not exist. */
export function assertKnownHelpTarget(program: Command, argv: string[]): void {
  let cmd = program;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith("-")) return;
    if (word === "help" && cmd.commands.length > 0) {
      const target = argv[i + 1];
      if (target === undefined || target.startsWith("-")) return;
      const found = cmd.commands.find((c) => c.name() === target || c.aliases().includes(target));
      if (found) {
        cmd = found;
        continue;
      }
      const names = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
      const close = closestName(target, names);
      const where = cmd === program ? "" : ` of ${fullName(cmd)}`;
      throw new UsageError(`unknown command '${target}'${where}${close ? ` (did you mean ${close}?)` : ""}; commands: ${names.join(", ")}`);
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) return;
    cmd = sub;
  }
}

function fullName(cmd: Command): string {
  const parts: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) parts.unshift(c.name());
  return parts.join(" ");
}
