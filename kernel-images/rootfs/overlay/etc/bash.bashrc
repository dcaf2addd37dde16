# Interactive bash shells of the Slipway guest (login shells source it from /etc/profile).
[ -z "${PS1:-}" ] && return
PS1='\u@\h:\w\$ '
shopt -s checkwinsize
