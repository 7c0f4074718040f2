/**
 * README: the service a plugin declares and implements.
 */
@NullMarked
package io.rapace.docs.readme.calculator;

import org.jspecify.annotations.NullMarked;
