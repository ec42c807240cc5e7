import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Ceiling A of bench/rest/run.sh: the gateway's HTTP stack with nothing behind it. Undertow (the
 * server camel-undertow runs on, from the gateway's own jar) with the gateway's thread settings
 * ({@code GatewayHttpServer}: I/O threads = max(2, cores), 128 workers), every request moved to a
 * worker thread and its whole body read there, as camel-undertow's consumer does, then answered
 * {@code 202} with a small JSON body shaped like the gateway's. No parsing, no signature, no broker.
 *
 * <p>java -cp target/haochaping-gateway.jar bench/rest/BareUndertow.java PORT [workers]
 */
public class BareUndertow {
  private static final ByteBuffer BODY = ByteBuffer.wrap(
      "{\"ratingId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8));

  public static void main(String[] a) {
    int port = Integer.parseInt(a[0]);
    int workers = a.length > 1 ? Integer.parseInt(a[1]) : 128;
    int io = Math.max(2, Runtime.getRuntime().availableProcessors());
    Undertow server = Undertow.builder()
        .addHttpListener(port, "127.0.0.1")
        .setIoThreads(io)
        .setWorkerThreads(workers)
        .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
        .setHandler(BareUndertow::handle)
        .build();
    server.start();
    System.out.println("bare Undertow on 127.0.0.1:" + port + " (" + io + " I/O threads, " + workers + " workers)");
  }

  static void handle(HttpServerExchange exchange) {
    if (exchange.isInIoThread()) {
      exchange.dispatch(BareUndertow::handle);
      return;
    }
    exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
      ex.setStatusCode(StatusCodes.ACCEPTED);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
      ex.getResponseSender().send(BODY.duplicate());
    });
  }
}
