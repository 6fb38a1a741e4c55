#!/usr/bin/env bash
# What kind of machine this is, in the costs that decide our benchmarks: a system call, a switch
# between two processes (a pipe round trip), a new PostgreSQL connection and a statement on an open
# one. Machines of the "same kind" here have differed by 10× in these (bench/README.md, "What kind
# of machine"), and so have the benchmarks; run this before comparing figures across sessions.
# Needs gcc (for the two kernel figures) and pgbench (PostgreSQL's client package) against the
# local PostgreSQL; each part is skipped with a note when its tool is missing. Takes ~10 s.
#   bash bench/tools/machine-kind.sh
set -u
echo "kernel: $(uname -r)"
hv=$(dmesg 2>/dev/null | grep -m1 -o 'Hypervisor detected: .*' || true)
[ -z "$hv" ] && grep -qw hypervisor /proc/cpuinfo && hv="a hypervisor (dmesg does not say which)"
echo "virtualisation: ${hv:-none detected}"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if command -v gcc >/dev/null; then
  cat >"$tmp/k.c" <<'C'
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(void) {
  const int calls = 1000000, trips = 100000;
  double t = now();
  for (int i = 0; i < calls; i++) syscall(SYS_getppid);
  printf("system call (getppid): %.0f ns\n", (now() - t) / calls * 1e9);
  int a[2], b[2]; char c = 'x';
  if (pipe(a) || pipe(b)) return 1;
  if (fork() == 0) { for (int i = 0; i < trips; i++) { if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1) _exit(1); } _exit(0); }
  t = now();
  for (int i = 0; i < trips; i++) { if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) return 1; }
  printf("pipe round trip between two processes (two switches): %.1f us\n", (now() - t) / trips * 1e6);
  wait(NULL);
  return 0;
}
C
  gcc -O2 -o "$tmp/k" "$tmp/k.c" && "$tmp/k"
else
  echo "gcc missing: no kernel figures"
fi

if command -v pgbench >/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -qc 'select 1' >/dev/null 2>&1; then
  db=md_kind_$$
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null
  pgbench -h 127.0.0.1 -U postgres -i -s 1 -q "$db" >/dev/null 2>&1
  conn=$(pgbench -h 127.0.0.1 -U postgres -C -S -t 200 -c 1 "$db" 2>/dev/null | sed -n 's/^average connection time = //p')
  stmt=$(pgbench -h 127.0.0.1 -U postgres -S -t 3000 -c 1 "$db" 2>/dev/null | sed -n 's/^latency average = //p')
  echo "new PostgreSQL connection: ${conn:-?}"
  echo "indexed select on an open connection (round trip included): ${stmt:-?}"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db" >/dev/null
else
  echo "pgbench or the local PostgreSQL missing: no PostgreSQL figures"
fi
