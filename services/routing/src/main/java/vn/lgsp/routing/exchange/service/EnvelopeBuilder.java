package vn.lgsp.routing.exchange.service;

import java.time.Instant;
import java.util.List;
import vn.lgsp.routing.exchange.domain.Envelope;

/** A changed copy of an envelope: only what a transition moves can be set; the rest is what was read under lock. */
final class EnvelopeBuilder {

    private final Envelope e;
    private String state;
    private Long contentBytes;
    private String contentSha256;
    private List<String> formats;
    private List<String> servedSha256;
    private int downloads;
    private String reason;
    private Instant uploadedAt;
    private Instant acceptedAt;
    private Instant finishedAt;
    private Instant updatedAt;

    EnvelopeBuilder(Envelope e) {
        this.e = e;
        state = e.state();
        contentBytes = e.contentBytes();
        contentSha256 = e.contentSha256();
        formats = e.formats();
        servedSha256 = e.servedSha256();
        downloads = e.downloads();
        reason = e.reason();
        uploadedAt = e.uploadedAt();
        acceptedAt = e.acceptedAt();
        finishedAt = e.finishedAt();
        updatedAt = e.updatedAt();
    }

    EnvelopeBuilder state(String v) {
        state = v;
        return this;
    }

    EnvelopeBuilder contentBytes(Long v) {
        contentBytes = v;
        return this;
    }

    EnvelopeBuilder contentSha256(String v) {
        contentSha256 = v;
        return this;
    }

    EnvelopeBuilder formats(List<String> v) {
        formats = v;
        return this;
    }

    EnvelopeBuilder servedSha256(List<String> v) {
        servedSha256 = v;
        return this;
    }

    EnvelopeBuilder downloads(int v) {
        downloads = v;
        return this;
    }

    EnvelopeBuilder reason(String v) {
        reason = v;
        return this;
    }

    EnvelopeBuilder uploadedAt(Instant v) {
        uploadedAt = v;
        return this;
    }

    EnvelopeBuilder acceptedAt(Instant v) {
        acceptedAt = v;
        return this;
    }

    EnvelopeBuilder finishedAt(Instant v) {
        finishedAt = v;
        return this;
    }

    EnvelopeBuilder updatedAt(Instant v) {
        updatedAt = v;
        return this;
    }

    Envelope build() {
        return new Envelope(e.id(), state, e.environment(), e.serviceCode(), e.version(), e.subscriptionId(),
                e.sourceSystem(), e.sourceAgency(), e.recipientSystem(), e.recipientAgency(), e.title(), e.importance(),
                e.dataType(), e.protocol(), e.maxBytes(), contentBytes, contentSha256, formats, servedSha256, downloads,
                reason, e.expiresAt(), e.createdAt(), uploadedAt, acceptedAt, finishedAt, updatedAt, e.rowVersion());
    }
}
