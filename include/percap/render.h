/* percap: drawing the gnuplot scripts percap writes into PNG and SVG
 * files. gnuplot is needed at run time only; it is run directly
 * (fork and execvp, never through a shell), in the script's directory,
 * with its start-up files ignored (-d) so that a user's ~/.gnuplot cannot
 * change the picture, and told the format and file name on its command
 * line (see percap_gp_render_command) so that the script is never edited. */
#ifndef PERCAP_RENDER_H
#define PERCAP_RENDER_H

#include "percap/error.h"
#include "percap/notes.h"

enum { PERCAP_RENDER_PNG = 1u, PERCAP_RENDER_SVG = 2u };

/* A comma-separated list of png and svg ("png,svg"); 0 and *out set, or
 * -1 for anything else (an empty list included). */
int percap_render_formats_parse(const char *list, unsigned *out);

/* Draws DIR/STEM.gp into DIR/STEM.png and/or DIR/STEM.svg. Each image is
 * written under a temporary name and renamed once gnuplot has succeeded,
 * so a failure leaves no partial image. `program` is the gnuplot to run
 * (NULL: "gnuplot", found on PATH). What gnuplot prints (warnings) goes
 * to `notes`. Errors: PERCAP_EUSAGE for a bad stem or no format;
 * PERCAP_EIO when gnuplot cannot be run (not installed: the message says
 * how to get it) or fails (its first lines of output in the message). */
percap_status percap_render(const char *dir, const char *stem, unsigned formats,
                            const char *program, percap_notes *notes, percap_error *err);

#endif
