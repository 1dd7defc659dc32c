#!/bin/sh
# End-to-end: shell completions. The committed scripts are `lectern completions SHELL` output (so
# they cannot drift from src/cli_table.c), every command of the table runs, and the bash script
# completes commands, options and values; zsh and fish scripts are syntax-checked when installed.
set -eu
. tests/cli.sh   # T, BIN, DATA, L, fail, expect

for sh in bash zsh fish; do
	case $sh in
	bash) f=share/bash-completion/completions/lectern ;;
	zsh) f=share/zsh/site-functions/_lectern ;;
	fish) f=share/fish/vendor_completions.d/lectern.fish ;;
	esac
	expect 0 L completions $sh
	cmp -s "$T/out" "$f" || fail "$f differs from \`lectern completions $sh\` (regenerate it)"
done
expect 2 L completions tcsh
expect 2 L completions

# every command of the table is dispatched (its --help runs)
for c in $(sed -n "s/^        args='\(.*\)'$/\1/p" share/bash-completion/completions/lectern); do
	expect 0 L "$c" --help
done

# source names for completions: the config's, one a line
printf 'source arxiv cs.LG\nsource hf-daily\n' >"$T/conf"
expect 0 L --config "$T/conf" sources --names
printf 'arxiv\nhf-daily\n' | cmp -s - "$T/out" || { cat "$T/out"; fail "sources --names"; }
expect 2 L sources --bogus
expect 2 L sources extra

# bash: complete WORDS... (the last one is being completed) with the committed script
mkdir -p "$T/bin"
ln -sf "$BIN" "$T/bin/lectern"
complete_bash() {
	PATH="$T/bin:$PATH" bash -c '
		. share/bash-completion/completions/lectern
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_lectern
		printf "%s\n" "${COMPREPLY[@]}"' lectern "$@"
}
has() {   # has WANT WORDS...: the completions of WORDS include WANT
	want=$1; shift
	complete_bash "$@" >"$T/out"
	grep -qx -- "$want" "$T/out" || { cat "$T/out"; fail "completing '$*' gives no $want"; }
}
has list lectern li
has --format lectern list --fo
has json lectern list --format ''
has text lectern list --format ''
has bibtex lectern export --format ''
has relevance lectern list --sort ''
has --db lectern --d
has search-remote lectern --db x.db sea
has fish lectern completions ''
# source names come from the config that `lectern sources --names` finds
mkdir -p "$T/home/.config/lectern"
cp "$T/conf" "$T/home/.config/lectern/config"
export XDG_CONFIG_HOME="$T/home/.config"
has hf-daily lectern fetch ''
has arxiv lectern list --source ''

# zsh and fish: syntax only, when installed
if command -v zsh >/dev/null; then zsh -n share/zsh/site-functions/_lectern || fail "zsh -n"; fi
if command -v fish >/dev/null; then
	fish -n share/fish/vendor_completions.d/lectern.fish || fail "fish -n"
	PATH="$T/bin:$PATH" fish -c 'source share/fish/vendor_completions.d/lectern.fish
		complete -C "lectern li"; complete -C "lectern list --format "' >"$T/out"
	for want in list json; do
		grep -q "^$want	" "$T/out" || { cat "$T/out"; fail "fish: no $want"; }
	done
fi
echo "ok"
