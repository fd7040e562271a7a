#!/bin/sh
# Forms the Redis Cluster of NODES (host:port ..., every pod of the StatefulSet), or mends it;
# safe to run again and again (the Job runs it at every apply once its last run has expired):
#   - every node answers and says cluster_state:ok, knowing them all: nothing to do;
#   - no node belongs to a cluster yet (each knows only itself and serves no slot): create it,
#     three primaries and a replica each;
#   - else the nodes that belong to it are introduced to each other again by their current
#     addresses (after every pod restarted at once, each knows the others' old ones), and a node
#     that came back empty (its volume lost) joins as the replica of a primary that has none.
# The password is in REDISCLI_AUTH.
set -eu

# cli host:port command...
cli() {
    cli_host=${1%:*}
    cli_port=${1##*:}
    shift
    redis-cli --no-auth-warning -h "$cli_host" -p "$cli_port" "$@" | tr -d '\r'
}

info() {
    cli "$1" cluster info | sed -n "s/^$2://p"
}

# the node's own address, as it announces it (cluster-announce-ip: the pod's IP)
address() {
    cli "$1" cluster nodes | awk '$3 ~ /myself/ { sub(/:[0-9]+@.*/, "", $2); print $2 }'
}

count=$(echo "$NODES" | wc -w)
for node in $NODES; do
    until [ "$(cli "$node" ping 2>/dev/null)" = PONG ]; do
        echo "waiting for $node"
        sleep 2
    done
done

formed=yes
members=""
empty=""
for node in $NODES; do
    state=$(info "$node" cluster_state)
    known=$(info "$node" cluster_known_nodes)
    slots=$(info "$node" cluster_slots_assigned)
    : "${state:?$node did not answer}" "${known:?$node did not answer}" "${slots:?$node did not answer}"
    if [ "$state" != ok ] || [ "$known" -lt "$count" ]; then
        formed=no
    fi
    if [ "$known" -le 1 ] && [ "$slots" -eq 0 ]; then
        empty="$empty $node"
    else
        members="$members $node"
    fi
done

if [ "$formed" = yes ]; then
    echo "the cluster is formed: nothing to do"
elif [ -z "$members" ]; then
    echo "no node belongs to a cluster yet: forming one of$NODES"
    # shellcheck disable=SC2086 # one argument per node
    redis-cli --no-auth-warning --cluster create $NODES --cluster-replicas 1 --cluster-yes
else
    anchor=$(echo "$members" | awk '{ print $1 }')
    for node in $members; do
        id=$(cli "$node" cluster myid)
        ip=$(address "$node")
        if ! cli "$anchor" cluster nodes | awk -v id="$id" -v at="$ip:${node##*:}@" \
                '$1 == id && index($2, at) == 1 && $8 == "connected" { found = 1 } END { exit !found }'; then
            echo "introducing $node to $anchor at $ip"
            cli "$anchor" cluster meet "$ip" "${node##*:}"
        fi
    done
    for node in $empty; do
        echo "$node came back empty (its volume lost): it joins as a replica"
        id=$(cli "$node" cluster myid)
        # its former identity (the same name, another id) is gone for good: a replica takes its
        # slots over at once, if it was a primary, and every node forgets it
        for ghost in $(cli "$anchor" cluster nodes | awk -v name="${node%:*}" -v id="$id" \
                '$1 != id && split($2, at, ",") > 1 && at[2] == name { print $1 }'); do
            if cli "$anchor" cluster nodes | awk -v ghost="$ghost" '$1 == ghost && $9 != "" { found = 1 } END { exit !found }'; then
                heir=$(cli "$anchor" cluster nodes | awk -v ghost="$ghost" \
                    '$4 == ghost && $3 !~ /fail|noaddr/ { sub(/@.*/, "", $2); print $2; exit }')
                if [ -z "$heir" ]; then
                    echo "$ghost, the primary $node was before, has no replica left: its slots are lost (README \"Deploy\")"
                    exit 1
                fi
                echo "$heir takes over the slots of $ghost, the primary $node was before"
                cli "$heir" cluster failover force
                until cli "$anchor" cluster nodes | awk -v ghost="$ghost" '$1 == ghost && $9 != "" { found = 1 } END { exit found }'; do
                    sleep 1
                done
            fi
            echo "forgetting $ghost, the node $node was before"
            for peer in $NODES; do
                cli "$peer" cluster forget "$ghost" > /dev/null
            done
        done
        primary=$(cli "$anchor" cluster nodes | awk '
            $3 ~ /master/ && $3 !~ /fail|noaddr/ && $9 != "" { primary[$1] = 1 }
            $3 ~ /slave/ && $3 !~ /fail|noaddr/ { replicas[$4]++ }
            END { for (id in primary) print replicas[id] + 0, id }' | sort -n | head -n 1 | cut -d ' ' -f 2)
        redis-cli --no-auth-warning --cluster add-node "$node" "$anchor" --cluster-slave --cluster-master-id "$primary"
        # counted as a replica before the next one picks its primary
        until cli "$anchor" cluster nodes | awk -v id="$id" '$1 == id && $3 ~ /slave/ { found = 1 } END { exit !found }'; do
            sleep 1
        done
    done
fi

for node in $NODES; do
    until [ "$(info "$node" cluster_state)" = ok ]; do
        echo "waiting for $node to see the cluster ok"
        sleep 2
    done
done
redis-cli --no-auth-warning --cluster check "$(echo "$NODES" | awk '{ print $1 }')"
