/* percap: per-capita rates of deaths by region, with honest uncertainty.
 * One include for the whole public API. */
#ifndef PERCAP_PERCAP_H
#define PERCAP_PERCAP_H

#include "percap/areas.h"
#include "percap/atomic_file.h"
#include "percap/chart.h"
#include "percap/check.h"
#include "percap/correlation.h"
#include "percap/formula.h"
#include "percap/funnel.h"
#include "percap/gp_emit.h"
#include "percap/csv_read.h"
#include "percap/error.h"
#include "percap/intervals.h"
#include "percap/join.h"
#include "percap/model.h"
#include "percap/notes.h"
#include "percap/numparse.h"
#include "percap/output.h"
#include "percap/output_model.h"
#include "percap/rank.h"
#include "percap/rank_intervals.h"
#include "percap/rates.h"
#include "percap/ratio.h"
#include "percap/records.h"
#include "percap/regions.h"
#include "percap/render.h"
#include "percap/smooth.h"
#include "percap/table.h"

#endif
