# Prints what zsh's completion system offers at the end of a command line, one candidate a line:
#   zsh -f zsh_complete.zsh '<setup commands>' '<command line>'
# An interactive zsh runs on a pseudo-terminal (zsh/zpty); compadd is wrapped to print each
# candidate it adds, and Tab is bound to a widget that completes once, then ends the shell.
zmodload zsh/zpty
zpty shell zsh -f -i
zpty -w shell 'PROMPT= RPROMPT= ; unsetopt beep'
zpty -w shell 'autoload -Uz compinit && compinit -u -D'
zpty -w shell "$1"
zpty -w shell 'compadd() { local -a found; builtin compadd -O found "$@"; (( $#found )) && print -rn -- "<<${(j:>><<:)found}>>"; builtin compadd "$@"; }'
zpty -w shell '__test_complete() { zle complete-word; print -r -- "<<END>>"; exit }; zle -N __test_complete; bindkey "^I" __test_complete'
# Split, so the line typed (which the terminal echoes) does not match.
zpty -w shell 'print -r -- "<<READY"">>"'
zpty -r shell ignored '*<<READY>>*'
zpty -w -n shell "$2"$'\t'
output=''
while true; do
  zpty -r -t shell chunk && output+=$chunk || sleep 0.05
  [[ $output == *'<<END>>'* ]] && break
done
zpty -d shell
print -rl -- ${${(M)${(s:>>:)output}%<<*}#<<} | grep -vx END
