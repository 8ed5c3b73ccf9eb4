# CPU ticks (user + system, in CLK_TCK units) of the processes a benchmark reads; sourced by
# scripts/bench and scripts/load-test.

# Every Postgres process, including exited backends' children.
pg_cpu() {
  local total=0 p
  for p in $(pgrep -u postgres); do
    total=$(( total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# The whole machine (all cores, user + nice + system + irq + softirq).
machine_cpu() {
  awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat
}

# The Redis server.
redis_cpu() {
  local total=0 p
  for p in $(pgrep -x redis-server); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# One process (a gateway).
pid_cpu() {
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
