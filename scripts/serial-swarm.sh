#!/usr/bin/env bash
# serial-swarm.sh MANAGERS WORKERS
#
# The baseline for scripts/benchmark.ts: the local driver's steps done by hand, one after
# the other, as a person would script them (openssl, ip, iptables, dockerd, the docker CLI).
# Prints ready_seconds=<s> (script start to every node Ready) and stop_seconds=<s> (removal).
# Its own names (bridge swmserial0, netns swmserial0-N), so it never touches the action's clusters.
set -euo pipefail

MANAGERS=${1:?usage: $0 MANAGERS WORKERS}
WORKERS=${2:?usage: $0 MANAGERS WORKERS}
(( MANAGERS >= 1 && WORKERS >= 0 )) || { echo "need MANAGERS >= 1 and WORKERS >= 0" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "run as root (network namespaces, dockerd)" >&2; exit 2; }

START=$EPOCHREALTIME
BRIDGE=swmserial0
# Contains "setup-swarm" (so a grep for leftovers finds it) but not the action's "setup-swarm:".
TAG=setup-swarm-serial:$BRIDGE
CGROUP_PARENT=/$BRIDGE
PORT=2376
WAIT_SECONDS=60

# State the cleanup needs: it runs from the EXIT trap, whatever was created so far.
DIR=
SUBNET=
NETNS=()
RULES=()
BRIDGE_CREATED=
IP_FORWARD_SET=
NETNS_MOUNT_CREATED=
READY=

# A process runs until it is gone or a zombie (Z) or dying (X): /proc/PID/stat's state after "(comm) ".
running() { local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; stat=${stat##*) }; [[ ${stat:0:1} != [ZX] ]]; }
# Another cluster is another bridge named swm*: its nodes' veths carry the prefix but are no bridges.
other_clusters() { local link; for link in /sys/class/net/swm*; do [[ -d $link/bridge && ${link##*/} != "$BRIDGE" ]] && return 0; done; return 1; }

elapsed() { awk -v now="$EPOCHREALTIME" -v since="$1" 'BEGIN { printf "%.3f\n", now - since }'; }

cleanup() {
  local rc=$? stop_start=$EPOCHREALTIME ns pids killed=() deadline rule
  set +e
  left() { echo "serial-swarm.sh could not remove $*" >&2; rc=1; }
  trap - EXIT INT TERM
  for ns in "${NETNS[@]}"; do
    [[ -e /run/netns/$ns ]] || continue
    # The node's first process is its PID namespace's init: the kernel ends the rest with it.
    deadline=$((SECONDS + 10))
    while pids=$(ip netns pids "$ns") && [[ -n $pids ]] && (( SECONDS < deadline )); do
      read -ra pid_list <<<"$pids"
      kill -KILL "${pid_list[@]}" 2>/dev/null
      killed+=("${pid_list[@]}")
      sleep 0.05
    done
    [[ -z $pids ]] || left "the processes of $ns: $pids"
  done
  # A killed process leaves the namespace before it has exited: wait until it has (a zombie has:
  # reaping it is its parent's job), as the driver's stopNode does.
  deadline=$((SECONDS + 10))
  for pid in "${killed[@]}"; do
    while running "$pid" && (( SECONDS < deadline )); do sleep 0.02; done
    running "$pid" && left "process $pid"
  done
  for ns in "${NETNS[@]}"; do
    [[ -e /run/netns/$ns ]] && { ip netns delete "$ns" || left "netns $ns"; }
    # Deleting the namespace deletes the veth pair (in the background): this is for a half-made node.
    veth=${BRIDGE}v${ns##*-}
    [[ -e /sys/class/net/$veth ]] && { ip link delete "$veth" 2>/dev/null || [[ ! -e /sys/class/net/$veth ]] || left "link $veth"; }
  done
  [[ -n $BRIDGE_CREATED && -e /sys/class/net/$BRIDGE ]] && { ip link delete "$BRIDGE" || left "bridge $BRIDGE"; }
  for rule in "${RULES[@]}"; do
    read -r table chain spec <<<"$rule"
    # shellcheck disable=SC2086 # a rule's spec is a list of words
    while iptables -w 10 -t "$table" -C "$chain" $spec 2>/dev/null; do iptables -w 10 -t "$table" -D "$chain" $spec || { left "rule $rule"; break; }; done
  done
  if [[ -n $IP_FORWARD_SET ]] && ! other_clusters; then sysctl -q -w net.ipv4.ip_forward=0; fi
  while read -r mount_point; do
    [[ -d $mount_point$CGROUP_PARENT ]] && { find "$mount_point$CGROUP_PARENT" -depth -type d -exec rmdir {} + || left "cgroup $mount_point$CGROUP_PARENT"; }
  done < <(awk '$3 ~ /^cgroup2?$/ {print $2}' /proc/mounts)
  if [[ -n $NETNS_MOUNT_CREATED ]] && mountpoint -q /run/netns && [[ -z $(ls -A /run/netns) ]]; then
    if ! { umount /run/netns && rmdir /run/netns; }; then left /run/netns; fi
  fi
  [[ -n $DIR ]] && { rm -rf -- "$DIR" || left "$DIR"; }
  [[ -n $READY ]] && echo "stop_seconds=$(elapsed "$stop_start")"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -e /sys/class/net/$BRIDGE ]] && { echo "$BRIDGE already exists: another serial-swarm.sh is running" >&2; exit 1; }
DIR=$(mktemp -d "${TMPDIR:-/tmp}/swmserial.XXXXXX")
chmod 700 "$DIR"
mountpoint -q /run/netns || NETNS_MOUNT_CREATED=1

NAMES=()
for i in $(seq 1 "$MANAGERS"); do NAMES+=("swmserial-manager-$i"); done
for i in $(seq 1 "$WORKERS"); do NAMES+=("swmserial-worker-$i"); done
COUNT=${#NAMES[@]}

# --- A free /24 in 198.18.0.0/15: one no route of this host overlaps.
ip2int() { local a b c d; IFS=. read -r a b c d <<<"$1"; echo $(( (a << 24) + (b << 16) + (c << 8) + d )); }
overlaps() { # overlaps A/LEN B/LEN
  local a=${1%/*} al=${1#*/} b=${2%/*} bl=${2#*/} bits
  bits=$(( al < bl ? al : bl ))
  (( ($(ip2int "$a") >> (32 - bits)) == ($(ip2int "$b") >> (32 - bits)) ))
}
ROUTES=$(ip -4 -o route show table all | awk '
  $1 ~ /^(local|broadcast|anycast|multicast|unicast|unreachable|blackhole|prohibit|throw|nat)$/ { print $2; next }
  { print $1 }' | { grep -v '^default$' || true; } | sed '/\//! s|$|/32|')
for third in $(seq 250 -1 0); do
  candidate=198.19.$third.0/24
  free=1
  for route in $ROUTES; do overlaps "$route" "$candidate" && { free=; break; }; done
  [[ -n $free ]] && { SUBNET=$candidate; break; }
done
[[ -n $SUBNET ]] || { echo "no free /24 in 198.19.0.0/16" >&2; exit 1; }
PREFIX=${SUBNET%.0/24}
GATEWAY=$PREFIX.1
node_ip() { echo "$PREFIX.$(( $1 + 2 ))"; }

# --- Certificates: a CA, the client's, one server certificate per node (EC P-256, 30 days).
TLS=$DIR/tls
mkdir -m 700 "$TLS"
umask 077
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 30 \
  -keyout "$TLS/ca-key.pem" -out "$TLS/ca.pem" -subj "/CN=swmserial CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
sign() { # sign NAME OUT_PREFIX EXTENSIONS
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$2-key.pem" -subj "/CN=$1" 2>/dev/null |
    openssl x509 -req -sha256 -days 30 -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
      -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "$3") \
      -out "$2-cert.pem" 2>/dev/null
}
sign "swmserial client" "$TLS/client" "extendedKeyUsage=clientAuth"
# The docker CLI reads ca.pem, cert.pem, key.pem from DOCKER_CERT_PATH; flags say the same here.
CLIENT=(--tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/client-cert.pem" --tlskey "$TLS/client-key.pem")
export DOCKER_CONFIG=$TLS
for i in "${!NAMES[@]}"; do
  mkdir -p "$DIR/nodes/${NAMES[$i]}" && chmod 700 "$DIR/nodes/${NAMES[$i]}"
  sign "${NAMES[$i]}" "$DIR/nodes/${NAMES[$i]}/server" \
    "extendedKeyUsage=serverAuth
subjectAltName=IP:$(node_ip "$i"),IP:127.0.0.1,DNS:${NAMES[$i]},DNS:localhost"
  cp "$TLS/ca.pem" "$DIR/nodes/${NAMES[$i]}/ca.pem"
  echo '{"features":{"containerd-snapshotter":false}}' >"$DIR/nodes/${NAMES[$i]}/daemon.json"
done
umask 022

# --- The network: a bridge, forwarding allowed, NAT out (as the action does).
BRIDGE_CREATED=1
ip link add "$BRIDGE" type bridge
ip link set "$BRIDGE" up
ip addr add "$GATEWAY/24" dev "$BRIDGE"
RULES+=("filter FORWARD -o $BRIDGE -m comment --comment $TAG -j DROP")
iptables -w 10 -I FORWARD -o "$BRIDGE" -m comment --comment "$TAG" -j DROP
RULES+=("filter FORWARD -o $BRIDGE -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment $TAG -j ACCEPT")
iptables -w 10 -I FORWARD -o "$BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "$TAG" -j ACCEPT
RULES+=("filter FORWARD -i $BRIDGE -m comment --comment $TAG -j ACCEPT")
iptables -w 10 -I FORWARD -i "$BRIDGE" -m comment --comment "$TAG" -j ACCEPT
RULES+=("nat POSTROUTING -s $SUBNET ! -o $BRIDGE -m comment --comment $TAG -j MASQUERADE")
iptables -w 10 -t nat -A POSTROUTING -s "$SUBNET" ! -o "$BRIDGE" -m comment --comment "$TAG" -j MASQUERADE
if [[ $(cat /proc/sys/net/ipv4/ip_forward) != 1 ]]; then IP_FORWARD_SET=1; sysctl -q -w net.ipv4.ip_forward=1; fi

# A loopback stub resolver (127.0.0.53) is unreachable from a node: keep the real servers.
{
  grep -E '^\s*(search|domain)\s' /etc/resolv.conf || true
  grep -E '^\s*nameserver\s' /etc/resolv.conf | grep -vE '\s(127\.|::1)' ||
    grep -sE '^\s*nameserver\s' /run/systemd/resolve/resolv.conf | grep -vE '\s(127\.|::1)' ||
    printf 'nameserver 8.8.8.8\nnameserver 1.1.1.1\n'
} >"$DIR/resolv.conf"
RESOLV_TARGET=$(readlink -f /etc/resolv.conf || echo /etc/resolv.conf)

# The node's first process, as in src/drivers/local/node.ts: own hostname, private /run, resolv.conf.
# shellcheck disable=SC2016 # expanded by the node's own shell
NODE_INIT='set -e
hostname "$1"
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p "$(dirname "$3")"
touch "$3"
mount --bind "$2" "$3"
shift 3
exec "$@"'

# --- The nodes, one at a time: start its engine, wait until it answers, then the next.
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]} ns=$BRIDGE-$((i + 1)) veth=${BRIDGE}v$((i + 1)) ip=$(node_ip "$i") node=$DIR/nodes/${NAMES[$i]}
  NETNS+=("$ns")
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$GATEWAY"
  setsid nsenter --net="/run/netns/$ns" -- \
    unshare --mount --uts --pid --fork --kill-child --mount-proc --propagation private -- \
    /bin/sh -c "$NODE_INIT" setup-swarm-node "$name" "$DIR/resolv.conf" "$RESOLV_TARGET" \
    "$(command -v dockerd)" --data-root "$node/data" --exec-root /run/docker --pidfile /run/docker.pid --config-file "$node/daemon.json" \
    -H "tcp://$ip:$PORT" --tlsverify --tlscacert "$node/ca.pem" --tlscert "$node/server-cert.pem" --tlskey "$node/server-key.pem" \
    --containerd-namespace "$name" --containerd-plugins-namespace "$name-plugins" \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "$CGROUP_PARENT" \
    </dev/null >>"$node/dockerd.log" 2>&1 &
  pid=$!
  # Its end is expected (the cleanup kills it): no job notice. Bash still reaps it.
  disown "$pid"
  deadline=$((SECONDS + WAIT_SECONDS))
  until curl -sf --max-time 1 --cacert "$TLS/ca.pem" --cert "$TLS/client-cert.pem" --key "$TLS/client-key.pem" "https://$ip:$PORT/_ping" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the engine of $name exited; its log ends with:" >&2; tail -n 8 "$node/dockerd.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { echo "the engine of $name did not answer within $WAIT_SECONDS s" >&2; tail -n 8 "$node/dockerd.log" >&2; exit 1; }
    sleep 0.05
  done
done

# --- The swarm: init on the first manager, then join the others one by one.
docker_on() { local i=$1; shift; timeout "$WAIT_SECONDS" docker --host "tcp://$(node_ip "$i"):$PORT" "${CLIENT[@]}" "$@"; }
MANAGER_IP=$(node_ip 0)
docker_on 0 swarm init --advertise-addr "$MANAGER_IP" >/dev/null
WORKER_TOKEN=$(docker_on 0 swarm join-token -q worker)
MANAGER_TOKEN=$(docker_on 0 swarm join-token -q manager)
for (( i = 1; i < COUNT; i++ )); do
  if (( i < MANAGERS )); then token=$MANAGER_TOKEN; else token=$WORKER_TOKEN; fi
  docker_on "$i" swarm join --token "$token" --advertise-addr "$(node_ip "$i")" "$MANAGER_IP:2377" >/dev/null
done

# Ready: every node Ready, every manager Leader or Reachable.
deadline=$((SECONDS + WAIT_SECONDS))
until docker_on 0 node ls --format '{{.Status}} {{.ManagerStatus}}' |
  awk -v n="$COUNT" -v m="$MANAGERS" '$1 == "Ready" { ready++ } $2 == "Leader" || $2 == "Reachable" { managers++ } END { exit !(NR == n && ready == n && managers == m) }'; do
  (( SECONDS < deadline )) || { echo "the swarm was not Ready within $WAIT_SECONDS s:" >&2; docker_on 0 node ls >&2; exit 1; }
  sleep 0.1
done
READY=1
echo "ready_seconds=$(elapsed "$START")"
