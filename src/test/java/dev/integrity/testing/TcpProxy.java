package dev.integrity.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on 127.0.0.1 in front of one server (PostgreSQL in the chaos soak), that a test can
 * take {@link #down()}: it cuts every open connection and closes each new one as soon as it is
 * accepted, until {@link #up()}. The port stays bound while down: a closed listening socket would
 * free an ephemeral port that another socket can take, or that a client connects to itself through
 * (TCP self-connect), so a connect "succeeded" while down once in the suite. Bytes pass through
 * unchanged. Each connection is two copying virtual threads. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final InetSocketAddress target;
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tcp-proxy-", 0).factory());

  /** Open connections: the accepted socket and its upstream. */
  private final Map<Socket, Socket> open = new ConcurrentHashMap<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();
  private final int port;
  private final ServerSocket listener;
  private boolean down;

  private TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.port = listener.getLocalPort();
    acceptOn(listener);
  }

  /** A proxy to {@code host:port}, listening on an ephemeral port of 127.0.0.1. */
  public static TcpProxy start(String host, int port) throws IOException {
    return new TcpProxy(new InetSocketAddress(host, port));
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections cut by {@link #down()} so far. */
  public long cut() {
    return cut.get();
  }

  /** Whether the proxy passes connections now. */
  public boolean isUp() {
    lock.lock();
    try {
      return !down;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Cuts every open connection and, until {@link #up()}, closes each new one as soon as it is
   * accepted: the client sees its connection closed, as when a database goes away. Idempotent.
   */
  public void down() {
    lock.lock();
    try {
      down = true;
      for (Map.Entry<Socket, Socket> c : open.entrySet()) {
        closeQuietly(c.getKey());
        closeQuietly(c.getValue());
        cut.incrementAndGet();
      }
      open.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Passes connections again. Idempotent. */
  public void up() {
    lock.lock();
    try {
      down = false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    down();
    closeQuietly(listener);
    threads.shutdownNow();
    try {
      threads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptOn(ServerSocket server) {
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            Socket client;
            try {
              client = server.accept();
            } catch (IOException e) {
              return; // closed by down() or close()
            }
            accepted.incrementAndGet();
            threads.execute(() -> connect(client));
          }
        });
  }

  private void connect(Socket client) {
    if (!isUp()) {
      closeQuietly(client);
      return;
    }
    Socket upstream = new Socket();
    try {
      upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    lock.lock();
    try {
      // A connection accepted just before down() must not slip through it.
      if (down) {
        closeQuietly(client);
        closeQuietly(upstream);
        return;
      }
      open.put(client, upstream);
    } finally {
      lock.unlock();
    }
    threads.execute(() -> pump(client, upstream, client));
    pump(upstream, client, client);
  }

  private void pump(Socket from, Socket to, Socket client) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (SocketException e) {
      // cut by down(), or the other side went away: the finally closes both ends
    } catch (IOException e) {
      // the same, seen on the other stream
    } finally {
      open.remove(client);
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing a socket that is already gone: nothing to do
    }
  }
}
