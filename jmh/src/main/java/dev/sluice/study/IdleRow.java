package dev.sluice.study;

/** What idle connections cost one server: live heap and resident memory per connection, threads. */
record IdleRow(String server, int connections, double heapBytesPerConnection, double rssBytesPerConnection,
               long threads) {
}
