/*
 * trainer.h: the skeleton the in-database trainers share (ngs.train_pass_model,
 * ngs.train_pass_gaussian, ngs.train_ghost_model): the source query read row by row into
 * a training and a validation set split by game, feature standardisation, the epoch loop
 * (shuffled mini-batches, patience, the best epoch's weights kept, cancel checks, a
 * NOTICE and a history entry per epoch), and the weight file assembled and stored in the
 * model catalog.
 *
 * A trainer supplies a TrainerKind: how to read one source row, take one optimizer step
 * over a batch of training samples, compute the validation loss, keep and restore the
 * best weights, and fill its weight file.
 */
#ifndef TRAINER_H
#define TRAINER_H

#include "common/nets.h"
#include "lib/stringinfo.h"
#include "model/model_write.h"
#include "model/source_query.h"
#include "splitmix64.h"

#define TRAINER_TRAINING	0	/* the sets of a run */
#define TRAINER_VALIDATION	1

typedef struct Trainer Trainer;

/* The tensors and metadata of a weight file, in the order they are written */
typedef struct TrainerFile
{
	ModelWriteTensor *tensors;	/* [ntensors] */
	int			ntensors;		/* tensors added */
	int			tensor_capacity;	/* tensors the array holds */
	const char **meta;			/* [2 nmeta]: key, value, key, value ... */
	int			nmeta;			/* metadata entries added */
	int			meta_capacity;	/* entries the array holds */
} TrainerFile;

/* What a trainer supplies to the skeleton; every callback gets the Trainer */
typedef struct TrainerKind
{
	const char *model_kind;		/* the catalog kind it stores ("pass") */
	const char *context_name;	/* the memory context of a run */
	SourceColumns check_columns;	/* refuses a source query of the wrong
									 * columns (arg: the Trainer) */
	SourceRow	read_row;		/* adds one source row to a set (arg: the
								 * Trainer) */
	int			loss_digits;	/* decimals of the losses in the epoch NOTICE */
	/* one optimizer step over training samples [n]; adds their losses to *loss */
	void		(*step) (Trainer *t, const int32 *samples, int n, double *loss);
	/* the mean loss over the validation set */
	double		(*validation_loss) (Trainer *t);
	/* appends what follows the validation loss in the epoch NOTICE, or NULL */
	void		(*describe_validation) (Trainer *t, StringInfo notice);
	/* keeps the current weights as the best; puts the best back */
	void		(*keep_best) (Trainer *t);
	void		(*restore_best) (Trainer *t);
	/* adds the tensors and metadata after ngs.kind and ngs.format */
	void		(*write_file) (Trainer *t, TrainerFile *file);
} TrainerKind;

/* The schedule of a run, from the trainer's options */
typedef struct TrainerSchedule
{
	int			epochs;			/* most passes over the training samples */
	int			patience;		/* epochs without a better validation loss
								 * before stopping */
	int			batch_size;		/* training samples per optimizer step */
	int			seed;			/* seeds the network, the shuffles and the
								 * split */
	int			validation_folds;	/* games with kfold(game, folds, seed) = 0
									 * validate; 0 = none */
} TrainerSchedule;

/* How a run ended */
typedef struct TrainerResult
{
	int			epochs;			/* epochs run */
	int			best_epoch;		/* epoch of the kept weights */
	double		train_loss;		/* its training loss (mean over the epoch's
								 * samples) */
	double		validation_loss;	/* its validation loss, NaN without
									 * validation */
	StringInfoData history;		/* JSON [[train, validation (0 without)], ...]
								 * per epoch */
} TrainerResult;

/* The game keys of the source rows a set kept, for counting games */
typedef struct TrainerGames
{
	int			n;				/* source rows recorded */
	int			capacity;		/* rows the array holds */
	int64	   *game;			/* [n] their games */
} TrainerGames;

/* A training run */
struct Trainer
{
	const TrainerKind *kind;	/* the trainer's parts */
	void	   *state;			/* the trainer's own data and network */
	TrainerSchedule schedule;	/* epochs, patience, batches, seed, split */
	Rng			rng;			/* seeded with the seed: initialises the
								 * network, then shuffles */
	TrainerGames games[2];		/* training, validation */
	TrainerResult result;		/* filled by trainer_run */
	MemoryContext cxt;			/* where the run lives */
	MemoryContext caller;		/* the context to return to */
};

extern void trainer_begin(Trainer *t, const TrainerKind *kind, void *state, const TrainerSchedule *schedule);
extern void trainer_read(Trainer *t, const char *query);
extern int	trainer_set_of_game(const Trainer *t, int64 game);
extern void trainer_add_game(Trainer *t, int set, int64 game);
extern int	trainer_count_games(const Trainer *t, int set);
extern void trainer_report_sets(const Trainer *t, const char *samples, int ntrain, int nvalidation,
								const char *detail, Size network_bytes);
extern void trainer_check_can_store(const TrainerKind *kind, const char *trainer, text *name,
									TrainerFile *shapes);
extern void trainer_column_statistics(const float *values, Size n, int width, int c, float *mean, float *std);
extern void trainer_normalize_columns(float *values, Size n, int width, const float *mean, const float *std);
extern void trainer_run(Trainer *t, int ntrain, int nvalidation);
extern void trainer_file_tensor(TrainerFile *file, char *name, const float *data, int d0, int d1, int d2);
extern void trainer_file_mlp(TrainerFile *file, const Mlp *mlp);
extern void trainer_file_meta(TrainerFile *file, const char *key, const char *value);
extern int64 trainer_store(Trainer *t, text *name);
extern void trainer_end(Trainer *t);

#endif
