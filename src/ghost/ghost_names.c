/*
 * ghost_names.c: the names of the candidate ghost features, in GhostFeature order (the
 * order ngs.ghost_windows and ngs.ghost_feature_names give), and the lookup by name.
 * Apart from ghost_features.c so that the options reader links without the play tensor.
 */
#include "postgres.h"

#include "ghost/ghost.h"

const char *const ghost_candidate_names[GHOST_CANDIDATES] = {
	"gap",
	"d_vpar", "d_vperp", "d_speed", "d_dv1par", "d_dv1perp", "d_dvpar", "d_dvperp",
	"d_opar", "d_operp",
	"r_vpar", "r_vperp", "r_speed", "r_dv1par", "r_dv1perp", "r_dvpar", "r_dvperp",
	"rel_vpar", "rel_vperp",
	"ball_par", "ball_perp", "ball_speed", "ball_gap",
	"off_par", "off_perp", "off_dist", "def_par", "def_perp", "def_dist",
	"field_x", "field_y", "sideline", "r_sideline", "axis_x", "axis_y"
};

/*
 * The candidate index of a feature name, or -1
 */
int
ghost_feature_index(const char *name)
{
	for (int k = 0; k < GHOST_CANDIDATES; k++)
		if (strcmp(ghost_candidate_names[k], name) == 0)
			return k;
	return -1;
}
