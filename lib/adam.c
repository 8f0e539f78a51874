/*
 * adam.c: the Adam optimizer over a flat float32 parameter vector, with torch.optim.Adam's
 * update (bias-corrected moments, eps outside the root, L2 weight decay on the gradient).
 */
#include <math.h>
#include <string.h>

#include "adam.h"

/*
 * An optimizer for nparams parameters with PyTorch's default betas and eps, no weight
 * decay, and the moments m and v (nparams floats each, from the caller) zeroed
 */
void
adam_setup(Adam *adam, int nparams, double lr, float *m, float *v)
{
	memset(adam, 0, sizeof(Adam));
	adam->nparams = nparams;
	adam->lr = lr;
	adam->beta1 = 0.9;
	adam->beta2 = 0.999;
	adam->eps = 1e-8;
	adam->m = m;
	adam->v = v;
	memset(m, 0, sizeof(float) * (size_t) nparams);
	memset(v, 0, sizeof(float) * (size_t) nparams);
}

/*
 * One update of params from the gradient grad
 */
void
adam_step(Adam *adam, float *params, const float *grad)
{
	double		c1,
				c2,
				step;

	adam->steps++;
	c1 = 1.0 - pow(adam->beta1, (double) adam->steps);
	c2 = 1.0 - pow(adam->beta2, (double) adam->steps);
	step = adam->lr / c1;
	for (int k = 0; k < adam->nparams; k++)
	{
		float		g = grad[k] + (float) adam->weight_decay * params[k];

		adam->m[k] = (float) adam->beta1 * adam->m[k] + (float) (1.0 - adam->beta1) * g;
		adam->v[k] = (float) adam->beta2 * adam->v[k] + (float) (1.0 - adam->beta2) * g * g;
		params[k] -= (float) (step * adam->m[k] / (sqrt(adam->v[k] / c2) + adam->eps));
	}
}
