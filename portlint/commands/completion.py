"""``portlint completion bash|zsh|fish``: shell completion written from the parser itself.

The scripts are generated, never written by hand, so a new command, option or
format value is completed the day it is added: the parser is walked into a
small model (commands, their options, which options take a value and which
values they accept), and each shell's script is printed from that model. The
scripts run no portlint process while completing, so a tab press costs
nothing; the price is regenerating them after an upgrade (the README says so).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass

SHELLS = ("bash", "zsh", "fish")

# Names, option strings and choices go into scripts unquoted or in double
# quotes: anything but these characters would need shell quoting, so it is
# refused instead of being quoted three different ways.
_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$|^-{1,2}[A-Za-z0-9][A-Za-z0-9-]*$")


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]  # "-o", "--output-file"
    takes_value: bool  # the next word is its value (an optional value is not assumed)
    choices: tuple[str, ...]  # the values it accepts, when argparse lists them
    help: str


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]  # () for portlint itself, ("registry", "build") for a nested one
    help: str
    options: tuple[Option, ...]
    commands: tuple[Command, ...]  # sub-commands
    values: tuple[str, ...]  # choices of a positional argument
    paths: bool  # a positional argument that is not a choice: complete file names

    @property
    def key(self) -> str:
        return " ".join(self.path)

    def walk(self) -> Iterator[Command]:
        yield self
        for sub in self.commands:
            yield from sub.walk()


def _checked(word: str) -> str:
    if not _WORD.match(word):
        raise ValueError(f"{word!r} cannot go into a completion script unquoted")
    return word


def _help(action: argparse.Action) -> str:
    text = action.help if isinstance(action.help, str) else ""
    if action.help == argparse.SUPPRESS:
        return ""
    return " ".join(text.replace("%%", "%").split())


def describe(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = (), help: str = ""
) -> Command:
    """The completion model of a parser and its sub-parsers."""
    options: list[Option] = []
    commands: list[Command] = []
    values: tuple[str, ...] = ()
    paths = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: _help(a) for a in action._choices_actions}
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:  # an alias of a command already listed
                    continue
                seen.add(id(sub))
                commands.append(describe(sub, (*path, _checked(name)), helps.get(name, "")))
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            choices = tuple(_checked(str(c)) for c in action.choices or ())
            takes_value = action.nargs not in (0, "?")
            flags = tuple(_checked(flag) for flag in action.option_strings)
            options.append(Option(flags, takes_value, choices, _help(action)))
        elif action.choices:
            values = tuple(_checked(str(c)) for c in action.choices)
        else:
            paths = True
    return Command(path, help, tuple(options), tuple(commands), values, paths)


def render(parser: argparse.ArgumentParser, shell: str) -> str:
    root = describe(parser)
    if shell == "bash":
        return bash(root)
    if shell == "zsh":
        return zsh(root)
    if shell == "fish":
        return fish(root)
    raise ValueError(f"no completion for {shell!r}")


# -- what bash and zsh share: finding the command in the words typed so far -----------------


def _value_options(root: Command) -> str:
    flags = sorted({f for c in root.walk() for o in c.options if o.takes_value for f in o.flags})
    return " " + " ".join(flags) + " "


def _nested(root: Command) -> str:
    return " " + " ".join(f'"{c.key}"' for c in root.walk() if c.path and c.commands) + " "


def _choice_cases(root: Command) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(case pattern for ``"$cmd|$prev"``, values) for every option with choices."""
    for command in root.walk():
        for option in command.options:
            if option.choices:
                pattern = "|".join(f'"{command.key}|{flag}"' for flag in option.flags)
                yield pattern, option.choices


def _top_words(root: Command) -> tuple[str, ...]:
    """What an option word completes to before any command: portlint's own options and,
    since ``portlint PATH`` means ``portlint check PATH``, check's."""
    check = next((c for c in root.commands if c.path == ("check",)), None)
    flags = [f for o in root.options for f in o.flags]
    if check is not None:
        flags += [f for o in check.options for f in o.flags if f not in flags]
    return tuple(flags)


def bash(root: Command) -> str:
    commands = " ".join(c.path[0] for c in root.commands)
    lines = [
        "# bash completion for portlint, generated by `portlint completion bash`.",
        '# Load it in ~/.bashrc: eval "$(portlint completion bash)"',
        "_portlint() {",
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
        '    local cmd="" w i',
        f'    local value_options="{_value_options(root)}"',
        f"    local nested='{_nested(root)}'",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        "        w=${COMP_WORDS[i]}",
        '        if [[ $value_options == *" $w "* ]]; then',
        "            ((i++))",
        "        elif [[ $w != -* ]]; then",
        "            if [[ -z $cmd ]]; then",
        "                cmd=$w",
        '            elif [[ $nested == *"\\"$cmd\\""* ]]; then',
        '                cmd="$cmd $w"',
        "            fi",
        "        fi",
        "    done",
        '    case " ' + commands + ' " in',
        '        *" ${cmd%% *} "*) ;;',
        "        *) [[ -n $cmd ]] && cmd=check ;;  # `portlint PATH` is `portlint check PATH`",
        "    esac",
        '    case "$cmd|$prev" in',
    ]
    for pattern, values in _choice_cases(root):
        lines += [
            f"        {pattern})",
            f'            COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur"))',
            "            return ;;",
        ]
    lines += [
        "    esac",
        '    if [[ $value_options == *" $prev "* ]]; then',
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "        return",
        "    fi",
        '    local options="" words="" files=""',
        '    case "$cmd" in',
    ]
    for command in root.walk():
        flags = (
            _top_words(root) if not command.path else [f for o in command.options for f in o.flags]
        )
        words = [c.path[-1] for c in command.commands] + list(command.values)
        files = "1" if command.paths or not command.path else ""
        lines += [
            f'        "{command.key}")',
            f'            options="{" ".join(flags)}"',
            f'            words="{" ".join(words)}"',
            f'            files="{files}" ;;',
        ]
    lines += [
        "    esac",
        "    if [[ $cur == -* ]]; then",
        '        COMPREPLY=($(compgen -W "$options" -- "$cur"))',
        "    else",
        '        COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        '        [[ -n $files ]] && COMPREPLY+=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        "complete -o filenames -F _portlint portlint",
        "",
    ]
    return "\n".join(lines)


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def zsh(root: Command) -> str:
    commands = " ".join(c.path[0] for c in root.commands)
    lines = [
        "#compdef portlint",
        "# zsh completion for portlint, generated by `portlint completion zsh`.",
        "# Save it as _portlint in a folder of $fpath, or load it in ~/.zshrc:",
        '# eval "$(portlint completion zsh)"',
        "_portlint() {",
        "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]}",
        '    local cmd="" w',
        "    local -i i",
        f'    local value_options="{_value_options(root)}"',
        f"    local nested='{_nested(root)}'",
        "    for ((i = 2; i < CURRENT; i++)); do",
        "        w=${words[i]}",
        '        if [[ $value_options == *" $w "* ]]; then',
        "            ((i++))",
        "        elif [[ $w != -* ]]; then",
        "            if [[ -z $cmd ]]; then",
        "                cmd=$w",
        '            elif [[ $nested == *"\\"$cmd\\""* ]]; then',
        '                cmd="$cmd $w"',
        "            fi",
        "        fi",
        "    done",
        '    case " ' + commands + ' " in',
        '        *" ${cmd%% *} "*) ;;',
        "        *) [[ -n $cmd ]] && cmd=check ;;  # `portlint PATH` is `portlint check PATH`",
        "    esac",
        '    case "$cmd|$prev" in',
    ]
    for pattern, values in _choice_cases(root):
        lines += [
            f"        {pattern})",
            f"            compadd -- {' '.join(values)}",
            "            return ;;",
        ]
    lines += [
        "    esac",
        '    if [[ $value_options == *" $prev "* ]]; then',
        "        _files",
        "        return",
        "    fi",
        "    local -a options described",
        '    local files=""',
        '    case "$cmd" in',
    ]
    for command in root.walk():
        flags = (
            _top_words(root) if not command.path else [f for o in command.options for f in o.flags]
        )
        described = [
            _zsh_quote(c.path[-1] + ":" + c.help.replace(":", "\\:")) for c in command.commands
        ] + [_zsh_quote(v) for v in command.values]
        files = "1" if command.paths or not command.path else ""
        lines += [
            f'        "{command.key}")',
            f"            options=({' '.join(flags)})",
            f"            described=({' '.join(described)})",
            f'            files="{files}" ;;',
        ]
    lines += [
        "    esac",
        "    if [[ $cur == -* ]]; then",
        "        compadd -- $options",
        "    else",
        "        (( ${#described} )) && _describe -t commands 'portlint' described",
        "        [[ -n $files ]] && _files",
        "    fi",
        "}",
        'if [[ "${funcstack[1]}" == _portlint ]]; then',
        '    _portlint "$@"',
        "else",
        "    compdef _portlint portlint",
        "fi",
        "",
    ]
    return "\n".join(lines)


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_condition(command: Command, root: Command) -> str:
    """The ``-n`` test that holds while ``command``'s own words are being typed."""
    if not command.path:
        names = " ".join(c.path[0] for c in root.commands)
        return f"not __fish_seen_subcommand_from {names}"
    parts = [f"__fish_seen_subcommand_from {name}" for name in command.path]
    if command.commands:
        names = " ".join(c.path[-1] for c in command.commands)
        parts.append(f"not __fish_seen_subcommand_from {names}")
    return "; and ".join(parts)


def fish(root: Command) -> str:
    lines = [
        "# fish completion for portlint, generated by `portlint completion fish`.",
        "# Save it as ~/.config/fish/completions/portlint.fish:",
        "# portlint completion fish > ~/.config/fish/completions/portlint.fish",
        "complete -c portlint -e",
    ]
    for command in root.walk():
        condition = _fish_quote(_fish_condition(command, root))
        base = f"complete -c portlint -n {condition}"
        if command.path and not command.paths:
            lines.append(f"{base} -f")
        for sub in command.commands:
            lines.append(f"{base} -f -a {sub.path[-1]} -d {_fish_quote(sub.help)}")
        if command.values:
            lines.append(f"{base} -f -a {_fish_quote(' '.join(command.values))}")
        options = list(command.options)
        if not command.path:  # `portlint PATH` is `portlint check PATH`: check's options too
            check = next((c for c in root.commands if c.path == ("check",)), None)
            known = {f for o in options for f in o.flags}
            if check is not None:
                options += [o for o in check.options if not known & set(o.flags)]
        for option in options:
            names = []
            for flag in option.flags:
                if flag.startswith("--"):
                    names.append(f"-l {flag[2:]}")
                elif len(flag) == 2:
                    names.append(f"-s {flag[1:]}")
                else:
                    names.append(f"-o {flag[1:]}")
            arg = ""
            if option.choices:
                arg = f" -x -a {_fish_quote(' '.join(option.choices))}"
            elif option.takes_value:
                arg = " -r"
            described = f" -d {_fish_quote(option.help)}" if option.help else ""
            lines.append(f"{base} {' '.join(names)}{arg}{described}")
    lines.append("")
    return "\n".join(lines)
