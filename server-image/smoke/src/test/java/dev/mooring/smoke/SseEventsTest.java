package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventsTest {

    @Test
    void readsNamedEventsMultiLineDataAndSkipsComments() throws Exception {
        String stream = ": keep-alive\n\nevent: endpoint\ndata: /mcp/messages?id=1\n\ndata: {\"a\":\ndata: 1}\n\nid: 7\nevent: message\ndata:{}\n\n";
        SseEvents events = new SseEvents(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        assertThat(events.next()).isEqualTo(new SseEvents.Event("endpoint", "/mcp/messages?id=1"));
        assertThat(events.next()).isEqualTo(new SseEvents.Event("message", "{\"a\":\n1}"));
        assertThat(events.next()).isEqualTo(new SseEvents.Event("message", "{}"));
        assertThat(events.next()).isNull();
    }
}
