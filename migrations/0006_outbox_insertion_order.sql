-- Rows enqueued in one statement share created_at (the transaction's start), so the claim's order
-- among them was arbitrary: two changes of one item could reply in its thread in the wrong order.
-- seq is the order they were inserted in, the claim's last sort key.
ALTER TABLE "outbox" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);