package dev.banger.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns one query packet into one response packet: {@code <vm>.<domain>} from {@link GuestRecords},
 * other names through the {@link Forwarder}. Transport-agnostic apart from the size limit the
 * caller passes. Thread-safe: it holds no mutable state.
 */
final class QueryHandler {
    /** Largest UDP response when the client did not advertise EDNS (RFC 1035). */
    static final int CLASSIC_UDP_LIMIT = 512;
    static final int TCP_LIMIT = 65535;
    private static final int OUR_EDNS_PAYLOAD = 1232;
    private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);

    private final Name domain;
    private final GuestRecords records;
    private final Forwarder forwarder;
    private final long ttlSeconds;
    private final SOARecord soa;

    QueryHandler(Name domain, GuestRecords records, Forwarder forwarder, long ttlSeconds) {
        this.domain = domain;
        this.records = records;
        this.forwarder = forwarder;
        this.ttlSeconds = ttlSeconds;
        // A synthetic SOA lets resolvers cache negative answers for as briefly as positive ones (RFC 2308).
        Name host;
        Name admin;
        try {
            host = Name.concatenate(Name.fromConstantString("ns"), domain);
            admin = Name.concatenate(Name.fromConstantString("hostmaster"), domain);
        } catch (NameTooLongException e) {
            host = domain;
            admin = domain;
        }
        this.soa = new SOARecord(domain, DClass.IN, ttlSeconds, host, admin, 1, 3600, 600, 86400, ttlSeconds);
    }

    /**
     * The response to {@code packet}, or empty when it must be dropped (unparseable, or itself a response).
     *
     * @param udp whether the response goes back over UDP, which limits its size
     */
    Optional<byte[]> respond(byte[] packet, boolean udp) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            LOG.debug("dropping a malformed DNS packet of {} bytes: {}", packet.length, e.toString());
            return Optional.empty();
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return Optional.empty();
        }
        OPTRecord clientOpt = query.getOPT();
        int limit = udp ? udpLimit(clientOpt) : TCP_LIMIT;
        Message response = respond(query);
        if (clientOpt != null) {
            response.addRecord(new OPTRecord(OUR_EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        byte[] wire = response.toWire(limit);
        return wire.length == 0 ? Optional.empty() : Optional.of(wire);
    }

    private Message respond(Message query) {
        Header header = query.getHeader();
        if (header.getOpcode() != Opcode.QUERY) {
            return error(query, Rcode.NOTIMP);
        }
        if (query.getSection(Section.QUESTION).size() != 1) {
            return error(query, Rcode.FORMERR);
        }
        Record question = query.getQuestion();
        if (question.getName().subdomain(domain)) {
            try {
                return local(query, question);
            } catch (RuntimeException e) {
                LOG.warn("guest record lookup failed for {}: {}", question.getName(), e.toString());
                return error(query, Rcode.SERVFAIL);
            }
        }
        return forwarded(query, question);
    }

    private Message local(Message query, Record question) {
        Message response = reply(query);
        response.getHeader().setFlag(Flags.AA);
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        Name name = question.getName();
        if (name.labels() != domain.labels() + 1) {
            // The apex exists (NODATA); deeper names never do.
            return negative(response, name.equals(domain) ? Rcode.NOERROR : Rcode.NXDOMAIN);
        }
        String vm = name.getLabelString(0).toLowerCase(Locale.ROOT);
        Optional<Inet4Address> address = records.addressOf(vm);
        if (address.isEmpty()) {
            return negative(response, Rcode.NXDOMAIN);
        }
        int type = question.getType();
        if (type == Type.A || type == Type.ANY) {
            response.addRecord(new ARecord(name, DClass.IN, ttlSeconds, address.get()), Section.ANSWER);
            return response;
        }
        return negative(response, Rcode.NOERROR);
    }

    private Message negative(Message response, int rcode) {
        response.getHeader().setRcode(rcode);
        response.addRecord(soa, Section.AUTHORITY);
        return response;
    }

    private Message forwarded(Message query, Record question) {
        Message upstream;
        try {
            upstream = forwarder.forward(question);
        } catch (IOException e) {
            LOG.debug("forwarding {} failed: {}", question, e.getMessage());
            return error(query, Rcode.SERVFAIL);
        }
        Message response = reply(query);
        Header from = upstream.getHeader();
        Header to = response.getHeader();
        for (int flag : new int[] {Flags.AA, Flags.TC, Flags.AD}) {
            if (from.getFlag(flag)) {
                to.setFlag(flag);
            }
        }
        int rcode = upstream.getRcode();
        to.setRcode(rcode <= 0xF ? rcode : Rcode.SERVFAIL);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record record : upstream.getSection(section)) {
                // The upstream's EDNS is between it and us; the client gets ours.
                if (record.getType() != Type.OPT) {
                    response.addRecord(record, section);
                }
            }
        }
        return response;
    }

    private static Message error(Message query, int rcode) {
        Message response = reply(query);
        response.getHeader().setRcode(rcode);
        return response;
    }

    /** An empty response echoing the query's id, opcode, RD, CD and question; we always offer recursion. */
    private static Message reply(Message query) {
        Header in = query.getHeader();
        Message response = new Message(in.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        out.setFlag(Flags.RA);
        out.setOpcode(in.getOpcode());
        if (in.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        if (in.getFlag(Flags.CD)) {
            out.setFlag(Flags.CD);
        }
        for (Record question : query.getSection(Section.QUESTION)) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    private static int udpLimit(OPTRecord clientOpt) {
        if (clientOpt == null) {
            return CLASSIC_UDP_LIMIT;
        }
        return Math.max(CLASSIC_UDP_LIMIT, Math.min(clientOpt.getPayloadSize(), OUR_EDNS_PAYLOAD));
    }
}
