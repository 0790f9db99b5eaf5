/* Internal: one writer per output format. */
#ifndef PERCAP_OUT_FORMATS_H
#define PERCAP_OUT_FORMATS_H

#include "percap/output.h"

extern const char *percap_output_note_lines[];

void percap_out_csv(FILE *fp, const percap_report *rep);
void percap_out_json(FILE *fp, const percap_report *rep);
void percap_out_md(FILE *fp, const percap_report *rep);

#endif
