# The gateway's GC flags, for every script that starts it (scripts/run, scripts/bench,
# scripts/load-test); k8s/deployment.yaml's JAVA_TOOL_OPTIONS carries the same ones
# (K8sManifestsTest checks). SCOREGATE_JAVA_OPTS replaces them for a run.
# MaxTenuringThreshold=2: cached scores are promoted after two young collections, not copied up
# to fifteen times. MaxGCPauseMillis=20: at G1's default goal (200 ms) young pauses took 100-157
# ms under cache misses (BENCHMARKS.md, 2026-12-03).
GATEWAY_GC_OPTS="-XX:MaxTenuringThreshold=2 -XX:MaxGCPauseMillis=20"
