/**
 * Shell completion from commander's own command tree: `lazyscribe completion
 * bash|zsh|fish` prints a script that calls back the hidden
 * `lazyscribe __complete -- <words...>`, which answers with one candidate a
 * line: commands, flags, handler aliases, artifact names and release tags of
 * the repository in the current folder (or `--repo`), or `__files__` where a
 * path is expected (the shell completes files then).
 */
import { readFile } from "node:fs/promises";
import type { Command, Option } from "commander";
import { DEFAULT_REPO, lib, localPath, releasesLocation } from "../context.js";
import { UsageError } from "../errors.js";
import { examples } from "../output.js";

const FILES = "__files__";

/** Options whose value is a path: the shell completes files. */
const PATH_OPTIONS = new Set(["--repo", "--project", "--to", "--output", "--config"]);

const SCRIPTS: Record<string, string> = {
  bash: `# lazyscribe completion for bash: add to ~/.bashrc
#   source <(lazyscribe completion bash)
_lazyscribe_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out IFS=$'\\n'
  out="$(lazyscribe __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)"
  if [ "$out" = "${FILES}" ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
  fi
}
complete -o default -F _lazyscribe_complete lazyscribe
`,
  zsh: `#compdef lazyscribe
# lazyscribe completion for zsh: add to ~/.zshrc (after compinit)
#   source <(lazyscribe completion zsh)
_lazyscribe() {
  local out
  local -a candidates
  out="$(lazyscribe __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"
  if [[ "$out" == "${FILES}" ]]; then
    _files
    return
  fi
  candidates=("\${(@f)out}")
  compadd -a candidates
}
compdef _lazyscribe lazyscribe
`,
  fish: `# lazyscribe completion for fish: save as ~/.config/fish/completions/lazyscribe.fish
#   lazyscribe completion fish > ~/.config/fish/completions/lazyscribe.fish
function __lazyscribe_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out (lazyscribe __complete -- $words[2..-1] 2>/dev/null)
    if test "$out" = "${FILES}"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $out
    end
end
complete -c lazyscribe -f -a '(__lazyscribe_complete)'
`,
};

export function register(program: Command): void {
  program
    .command("completion")
    .summary("print a shell completion script (bash, zsh, fish)")
    .description("print a completion script for bash, zsh or fish: commands, flags, handler aliases, and the artifact names and release tags of the repository in the current folder")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText(
      "after",
      examples("lazyscribe completion bash >> ~/.bashrc", "lazyscribe completion zsh >> ~/.zshrc", "lazyscribe completion fish > ~/.config/fish/completions/lazyscribe.fish"),
    )
    .action((shell: string) => {
      const script = SCRIPTS[shell];
      if (script === undefined) throw new UsageError(`completion: unknown shell "${shell}"; use bash, zsh or fish`);
      process.stdout.write(script);
    });

  program
    .command("__complete", { hidden: true })
    .description("candidates for the word being completed (used by the completion scripts)")
    .argument("[words...]", "the words after `lazyscribe`, the last one being completed")
    .helpOption(false)
    .action(async (words: string[]) => {
      const candidates = await complete(program, words);
      if (candidates.length > 0) process.stdout.write(`${candidates.join("\n")}\n`);
    });
}

function visibleCommands(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

/** Options a command accepts, its own and those of its parents (global options are accepted everywhere). */
function optionsOf(cmd: Command): Option[] {
  const all: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) all.push(...c.options);
  return all;
}

function findOption(cmd: Command, flag: string): Option | undefined {
  const name = flag.split("=")[0];
  return optionsOf(cmd).find((o) => o.long === name || o.short === name);
}

/** The completion candidates for `words` (the last one is the word being typed). */
export async function complete(program: Command, words: string[]): Promise<string[]> {
  const current = words.length > 0 ? words[words.length - 1]! : "";
  const done = words.slice(0, -1);
  let cmd = program;
  let repo = DEFAULT_REPO;
  const positionals: string[] = [];
  for (let i = 0; i < done.length; i++) {
    const w = done[i]!;
    if (w.startsWith("-")) {
      const option = findOption(cmd, w);
      if (option && (option.required || option.optional) && !w.includes("=")) {
        const value = done[i + 1];
        if (value !== undefined && option.long === "--repo") repo = value;
        i++;
      }
      continue;
    }
    const sub = positionals.length === 0 ? cmd.commands.find((c) => c.name() === w || c.aliases().includes(w)) : undefined;
    if (sub) cmd = sub;
    else positionals.push(w);
  }
  const previous = done[done.length - 1];
  const valueOf = previous?.startsWith("-") ? findOption(cmd, previous) : undefined;
  if (valueOf && (valueOf.required || valueOf.optional) && !previous!.includes("=")) {
    if (valueOf.long !== undefined && PATH_OPTIONS.has(valueOf.long)) return [FILES];
    if (valueOf.long === "--handler") return handlerAliases();
    return [];
  }
  if (current.startsWith("-")) {
    // The command's own options: global ones are added to every command, and the root's -V/--version is not a subcommand's.
    const flags = (cmd === program ? program.options : cmd.options).flatMap((o) => (o.hidden ? [] : [o.long, o.short].filter((f): f is string => f !== undefined)));
    return [...new Set([...flags, "--help"])].filter((f) => f.startsWith(current));
  }
  if (positionals.length === 1 && positionals[0] === "help") return visibleCommands(cmd).map((c) => c.name()).filter((c) => c.startsWith(current));
  const subs = positionals.length === 0 && cmd.commands.length > 0 ? [...visibleCommands(cmd).map((c) => c.name()), "help"] : [];
  const argument = cmd.registeredArguments[positionals.length];
  let values: string[] = [];
  if (argument?.name() === "name") values = await artifactNames(repo);
  else if (argument?.name() === "tag" && cmd.parent?.name() === "release" && cmd.name() !== "create") values = await releaseTags(repo);
  else if (argument?.name() === "file" || argument?.name() === "dir") return subs.length ? subs : [FILES];
  else if (cmd.name() === "completion") values = Object.keys(SCRIPTS);
  return [...subs, ...values].filter((c) => c.startsWith(current));
}

async function artifactNames(repo: string): Promise<string[]> {
  try {
    const { Repository } = await lib();
    return (await Repository.open(repo, { mode: "r" })).names();
  } catch {
    return [];
  }
}

async function releaseTags(repo: string): Promise<string[]> {
  const file = localPath(releasesLocation(repo));
  if (file === null) return [];
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Array<{ tag?: unknown }>;
    return parsed.map((r) => r.tag).filter((t): t is string => typeof t === "string");
  } catch {
    return [];
  }
}

async function handlerAliases(): Promise<string[]> {
  try {
    const { Repository } = await lib();
    return (await Repository.open("memory://completion/repository.json", { mode: "r" })).handlers.aliases();
  } catch {
    return ["bytes", "json", "text", "yaml"];
  }
}
