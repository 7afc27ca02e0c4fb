package dev.banger.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryHandlerTest {
    private final List<Record> forwarded = new ArrayList<>();

    /** A forwarder that answers every question with {@code count} distinct A records. */
    private Forwarder manyAnswers(int count) {
        return question -> {
            forwarded.add(question);
            Message response = new Message();
            response.getHeader().setFlag(Flags.QR);
            response.addRecord(question, Section.QUESTION);
            for (int i = 0; i < count; i++) {
                response.addRecord(new ARecord(question.getName(), DClass.IN, 60,
                        InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i})), Section.ANSWER);
            }
            response.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
            return response;
        };
    }

    private QueryHandler handler(Forwarder forwarder) throws IOException {
        Inet4Address guest = (Inet4Address) InetAddress.getByName("172.30.0.2");
        return new QueryHandler(Name.fromString("banger.internal."),
                name -> name.equals("dev1") ? Optional.of(guest) : Optional.empty(), forwarder, 5);
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private static Message parse(Optional<byte[]> wire) throws IOException {
        return new Message(wire.orElseThrow());
    }

    @Test
    void responsesAreNeverAnswered() throws IOException {
        Message looksLikeAResponse = query("dev1.banger.internal.", Type.A);
        looksLikeAResponse.getHeader().setFlag(Flags.QR);

        assertThat(handler(manyAnswers(1)).respond(looksLikeAResponse.toWire(), true)).isEmpty();
    }

    @Test
    void opcodesOtherThanQueryAreNotImplemented() throws IOException {
        Message update = query("dev1.banger.internal.", Type.A);
        update.getHeader().setOpcode(Opcode.UPDATE);

        assertThat(parse(handler(manyAnswers(1)).respond(update.toWire(), true)).getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void queryWithoutAQuestionIsAFormatError() throws IOException {
        Message empty = new Message();

        assertThat(parse(handler(manyAnswers(1)).respond(empty.toWire(), true)).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void domainApexExistsButHasNoAddress() throws IOException {
        Message response = parse(handler(manyAnswers(1)).respond(query("banger.internal.", Type.A).toWire(), true));

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(forwarded).isEmpty();
    }

    @Test
    void forwardedAnswerTooBigForClassicUdpIsTruncatedButWholeOverTcp() throws IOException {
        QueryHandler handler = handler(manyAnswers(60));
        byte[] wire = query("big.example.org.", Type.A).toWire();

        Message overUdp = parse(handler.respond(wire, true));
        Message overTcp = parse(handler.respond(wire, false));

        assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(overUdp.toWire().length).isLessThanOrEqualTo(QueryHandler.CLASSIC_UDP_LIMIT);
        assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(overTcp.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void upstreamEdnsIsReplacedByOursOnlyWhenTheClientSpeaksEdns() throws IOException {
        QueryHandler handler = handler(manyAnswers(1));
        Message plain = query("example.org.", Type.A);
        Message edns = query("example.org.", Type.A);
        edns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

        assertThat(parse(handler.respond(plain.toWire(), true)).getOPT()).isNull();
        assertThat(parse(handler.respond(edns.toWire(), true)).getOPT()).isNotNull();
    }

    @Test
    void responseKeepsTheClientsIdAndQuestion() throws IOException {
        Message q = query("Example.ORG.", Type.A);

        Message response = parse(handler(manyAnswers(1)).respond(q.toWire(), true));

        assertThat(response.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(response.getQuestion()).isEqualTo(q.getQuestion());
        assertThat(response.getHeader().getFlag(Flags.RA)).isTrue();
    }
}
