package dev.tally;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Tally: exactly-once ingest of financial records, aggregations, notification and alert feeds. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TallyApplication {

    public static void main(String[] args) {
        SpringApplication.run(TallyApplication.class, args);
    }
}
