/*
 * adam.h: the Adam optimizer (Kingma and Ba; torch.optim.Adam's update) over a flat
 * float32 parameter vector, as a reusable block for the in-database trainers.  The moment
 * vectors come from the caller (src/common/nets.c pallocs them).
 */
#ifndef ADAM_H
#define ADAM_H

#include <stdint.h>

/* The optimizer's settings and moment estimates */
typedef struct Adam
{
	int			nparams;		/* length of the parameter vector */
	double		lr;				/* learning rate */
	double		beta1;			/* decay of the first moment, 0.9 */
	double		beta2;			/* decay of the second moment, 0.999 */
	double		eps;			/* added to the root of the second moment,
								 * 1e-8 */
	double		weight_decay;	/* L2 penalty added to the gradient, 0 = none */
	int64_t		steps;			/* updates made so far */
	float	   *m;				/* first moment, nparams */
	float	   *v;				/* second moment, nparams */
} Adam;

extern void adam_setup(Adam *adam, int nparams, double lr, float *m, float *v);
extern void adam_step(Adam *adam, float *params, const float *grad);

#endif
