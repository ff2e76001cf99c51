package dev.tally.support;

import static dev.tally.support.Waits.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real single-node KRaft broker ({@code kafka.Kafka}, the same main class and the same kind of
 * {@code server.properties} as {@code scripts/kafka-local.sh}) in a child JVM started from the
 * test classpath, so that a test can stop it, kill it and start it again on the same port and
 * data. Plain Kafka clients produce the test's input and read Tally's output as a downstream
 * consumer would.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Formats a fresh data folder under {@code target/kafka-it/} and starts a broker on a free port. */
    public static KafkaCluster start(String name) {
        return start(name, true);
    }

    /** As {@link #start(String)}; {@code autoCreateTopics} false makes a missing topic stay missing. */
    public static KafkaCluster start(String name, boolean autoCreateTopics) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "kafka-it", name + "-" + System.nanoTime()))
                    .toAbsolutePath();
            int port = freePort();
            int controllerPort = freePort();
            String props = String.join(
                    "\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=3",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=" + autoCreateTopics,
                    "");
            Files.writeString(dir.resolve("server.properties"), props);
            Process format = java(
                    "kafka.tools.StorageTool",
                    dir.resolve("format.log"),
                    "format",
                    "-t",
                    org.apache.kafka.common.Uuid.randomUuid().toString(),
                    "-c",
                    dir.resolve("server.properties").toString());
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("kafka-storage format failed; see " + dir.resolve("format.log"));
            }
            KafkaCluster cluster = new KafkaCluster(dir, port);
            cluster.startBroker();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker process (again) on the same port and data, and waits until it answers. */
    public void startBroker() {
        try {
            process = java(
                    "kafka.Kafka",
                    dir.resolve("broker.log"),
                    dir.resolve("server.properties").toString());
            Process started = process;
            // A test JVM that ends without closing the cluster must not leave a broker behind.
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Stops the broker cleanly (SIGTERM) and waits for the process to end. */
    public void stopBroker() {
        end(false);
    }

    /** Kills the broker (SIGKILL): no clean shutdown. */
    public void killBroker() {
        end(true);
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitReady() {
        Map<String, Object> p = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000);
        try (Admin admin = Admin.create(p)) {
            await("the broker started; see " + dir.resolve("broker.log"))
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    // starting: not answering yet, try again
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "the broker did not start; see " + dir.resolve("broker.log"));
                        }
                        admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                        admin.listTopics().names().get(3, TimeUnit.SECONDS);
                        return true;
                    });
        }
    }

    /** A child JVM running {@code mainClass} from this JVM's classpath, output to {@code log}. */
    public static Process java(String mainClass, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(new NewTopic(n, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating topics failed", e);
        }
    }

    /**
     * Sends every record (in order per partition), waits for all acks, returns their metadata in
     * input order. Every wait is bounded: with the broker down, a plain {@code send} blocks up to
     * {@code max.block.ms} per record, so the first failure ends the call instead of the next send
     * waiting again (500 records at the default 60 s would outlast any CI run).
     */
    public List<RecordMetadata> produce(List<ProducerRecord<String, String>> records) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        try {
            AtomicReference<Exception> failed = new AtomicReference<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<String, String> r : records) {
                if (failed.get() != null) {
                    throw failed.get();
                }
                acks.add(producer.send(r, (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                }));
            }
            producer.flush();
            List<RecordMetadata> out = new ArrayList<>(records.size());
            for (Future<RecordMetadata> f : acks) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("producing test input to " + bootstrap() + " failed", e);
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Whether the broker process runs (a test that stopped it must start it again for the next one). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Reads {@code topic} from the beginning as a downstream consumer with
     * {@code isolation.level=read_committed} until {@code expected} records arrived (or
     * {@code timeout}), then keeps polling for {@code settle} so that a surplus (a double) would
     * show up too. Records come in partition order.
     */
    public List<ConsumerRecord<String, String>> readCommitted(
            String topic, int expected, Duration timeout, Duration settle) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            await("topic " + topic + " appears")
                    .atMost(timeout)
                    .pollInSameThread() // a consumer is used by one thread at a time
                    .until(() -> {
                        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                            partitions.add(new TopicPartition(topic, info.partition()));
                        }
                        return !partitions.isEmpty();
                    });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                    org.slf4j.LoggerFactory.getLogger(KafkaCluster.class)
                            .info(
                                    "{}: {} records read after {} ms",
                                    topic,
                                    out.size(),
                                    (System.nanoTime() + timeout.toNanos() - deadline) / 1_000_000);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        end(false);
    }
}
