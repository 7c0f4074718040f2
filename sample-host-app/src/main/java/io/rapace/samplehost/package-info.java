/** A Spring Boot web application that supervises the sample plugin and serves its services over HTTP. */
@NullMarked
package io.rapace.samplehost;

import org.jspecify.annotations.NullMarked;
