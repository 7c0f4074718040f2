/**
 * README and spring-boot.md: a Spring plugin calling its host.
 */
@NullMarked
package io.rapace.docs.readme.hostlog;

import org.jspecify.annotations.NullMarked;
