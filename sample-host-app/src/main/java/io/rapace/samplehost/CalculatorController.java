package io.rapace.samplehost;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The plugin's services over HTTP, through the client beans of plugin {@code calculator}. */
@RestController
class CalculatorController {

    private final Calculator calculator;

    private final Hasher hasher;

    CalculatorController(Calculator calculator, Hasher hasher) {
        this.calculator = calculator;
        this.hasher = hasher;
    }

    /** {@code GET /calc/add?a=2&b=3} answers {@code 5}. */
    @GetMapping("/calc/add")
    int add(@RequestParam int a, @RequestParam int b) {
        return this.calculator.add(a, b);
    }

    /** {@code GET /calc/range?n=5} answers {@code [0,1,2,3,4]}. */
    @GetMapping("/calc/range")
    List<Integer> range(@RequestParam int n) {
        return this.calculator.range(n).collectList().block(Duration.ofSeconds(30));
    }

    /** {@code GET /hash/sha256?text=abc} answers the digest in lower-case hex. */
    @GetMapping("/hash/sha256")
    String sha256(@RequestParam String text) {
        return HexFormat.of().formatHex(this.hasher.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }
}
