package io.stepwise.local;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.stepwise.api.Problem;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The precise answers for a request Netty could not even read, as HTTP says them: a request line
 * over {@code micronaut.server.netty.max-initial-line-length} (4 KiB) is 414 URI Too Long, headers
 * over {@code max-header-size} (8 KiB) are 431 Request Header Fields Too Large (RFC 6585).
 * Micronaut answers both with a bare 413. A problem body in our words, and the connection closed,
 * since the rest of that request cannot be parsed. Only the local runtime needs this: on AWS, API
 * Gateway refuses such requests before any function runs.
 */
@Singleton
final class OversizedRequests implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

  private final JsonMapper json;

  OversizedRequests(JsonMapper json) {
    this.json = json;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    event.getBean().register(new Customizer(null));
    return event.getBean();
  }

  private final class Customizer implements NettyServerCustomizer {
    private final Channel channel;

    Customizer(Channel channel) {
      this.channel = channel;
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
      return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel != null
          && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
        channel
            .pipeline()
            .addAfter(
                ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                "stepwise-oversized",
                new Refuser());
      }
    }
  }

  @ChannelHandler.Sharable
  private final class Refuser extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
        Throwable cause = request.decoderResult().cause();
        Problem problem =
            cause instanceof TooLongHttpLineException
                ? Problem.of(
                    HttpStatus.REQUEST_URI_TOO_LONG,
                    "the request line (method, path and query) is longer than the server reads; send long input in the body")
                : cause instanceof TooLongHttpHeaderException
                    ? Problem.of(
                        HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "the request's headers are larger than the server reads")
                    : null;
        if (problem != null) {
          ReferenceCountUtil.release(msg);
          ctx.writeAndFlush(response(problem)).addListener(ChannelFutureListener.CLOSE);
          return;
        }
      }
      ctx.fireChannelRead(msg);
    }
  }

  private FullHttpResponse response(Problem problem) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(problem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(problem.status()),
            Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set("X-Content-Type-Options", "nosniff");
    return response;
  }
}
